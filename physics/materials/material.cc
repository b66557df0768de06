#include <base/deck_error.h>
#include <physics/materials/material.h>

namespace FerroStack
{
  std::string
  kind_name(const MaterialKind kind)
  {
    switch (kind)
      {
        case MaterialKind::dielectric:
          return "dielectric";
        case MaterialKind::semiconductor:
          return "semiconductor";
        case MaterialKind::ferroelectric:
          return "ferroelectric";
        case MaterialKind::ferroelectric_semiconductor:
          return "ferroelectric semiconductor";
        case MaterialKind::ionic_conductor:
          return "ionic conductor";
        case MaterialKind::metal:
          return "metal";
      }
    return "";
  }

  std::optional<double>
  Material::get(const std::string &key) const
  {
    const auto entry = values.find(key);
    if (entry == values.end())
      return {};
    return entry->second;
  }

  std::vector<double>
  Material::entries(const std::string &key) const
  {
    const auto entry = lists.find(key);
    if (entry != lists.end())
      return entry->second;
    if (const auto v = get(key))
      return {*v};
    return {};
  }

  unsigned
  Material::ion_species_count() const
  {
    return entries("Ion density").size();
  }

  Material
  Material::ion_species(const unsigned k) const
  {
    Material view = *this;
    for (const auto &[key, list] : lists)
      {
        if (list.size() == 1)
          continue;
        if (k < list.size())
          view.values[key] = list[k];
        else
          view.values.erase(key);
      }
    view.lists.clear();
    return view;
  }

  double
  Material::require(const std::string &key, const std::string &purpose) const
  {
    const auto value = get(key);
    if (!value)
      throw DeckError("material '" + name + "' has no '" + key + "', which " + purpose +
                      " needs: set it in the library or in the deck's "
                      "'subsection Materials / subsection " +
                      name + "'");
    return *value;
  }

  const std::vector<MaterialKey> &
  numeric_material_keys()
  {
    static const std::vector<MaterialKey> keys = {
      {"Work function", "eV", "Work function of an electrode material."},
      {"Screening length",
       "nm",
       "Thomas-Fermi screening length of an electrode metal: its screening charge sits this far "
       "inside the metal (with the metal's Permittivity), so that the interface potential, and "
       "with it a Schottky barrier, follows the polarization charge (0 or unset: ideal metal)."},
      {"Band gap", "eV", "Band gap."},
      {"Electron affinity", "eV", "Electron affinity (vacuum level to conduction band edge)."},
      {"Effective DOS conduction", "cm^-3", "Effective density of states of the conduction band at 300 K."},
      {"Effective DOS valence", "cm^-3", "Effective density of states of the valence band at 300 K."},
      {"Electron mobility", "cm^2/(V s)", "Electron mobility."},
      {"Hole mobility", "cm^2/(V s)", "Hole mobility."},
      {"SRH lifetime electrons", "s", "Shockley-Read-Hall lifetime of electrons."},
      {"SRH lifetime holes", "s", "Shockley-Read-Hall lifetime of holes."},
      {"SRH trap level", "eV", "SRH trap level, measured from midgap."},
      {"Trap density",
       "cm^-3",
       "Of a semiconductor: the density N_t of charge traps (all levels of 'Trap distribution') with SRH "
       "occupancy dynamics "
       "(TrapModule; with Physics/Carriers = true); 0 or unset: none."},
      {"Interface trap density",
       "cm^-2",
       "Of a semiconductor: the sheet density N_it of charge traps (all levels of 'Trap distribution'; a "
       "uniform band of width W holds D_it = N_it / W per eV) on its faces to other layers ('Interface "
       "trap faces'), with the same levels, capture coefficients and kind as its bulk traps; their charge "
       "and their capture and emission act on the interface itself; 0 or unset: none."},
      {"Trap level",
       "eV",
       "Energy of the traps' level from midgap (as the SRH trap level), or the centre of their band "
       "('Trap distribution'); 0 if unset."},
      {"Trap width",
       "eV",
       "Of a uniform trap distribution its full width, of a gaussian one its standard deviation (> 0)."},
      {"Trap levels",
       "1",
       "The number of discrete levels (1 to 4) that sample the traps' distribution, each a component of "
       "the field 'traps'; unset: 1 for a single level, 4 for a band. The stack's traps all use the "
       "largest number any of its trap materials asks for."},
      {"Trap capture electrons",
       "cm^3/s",
       "Electron capture coefficient c_n = sigma_n v_th of the traps (> 0)."},
      {"Trap capture holes", "cm^3/s", "Hole capture coefficient c_p = sigma_p v_th of the traps (> 0)."},
      {"Trap initial occupancy",
       "1",
       "The fraction of filled traps the initial solve holds them at (0 < f0 < 1); unset: in steady state "
       "with the carriers at t = 0."},
      {"Pinning factor",
       "1",
       "Of a semiconductor: the Schottky pinning factor S of the metal and gate contacts on it, "
       "phi_B = S (W_m - chi) + (1 - S) phi_0 (Cowley and Sze): S = 1 (unset) is Schottky-Mott, "
       "S = 0 is Bardeen's limit, where every metal gives the 'Pinned barrier' phi_0; 0 <= S <= 1."},
      {"Pinned barrier",
       "eV",
       "Of a semiconductor with a 'Pinning factor' below 1: phi_0, the electron barrier of its metal "
       "contacts at full pinning (S = 0), the conduction band edge minus the charge-neutrality level of "
       "the interface states; 0 <= phi_0 <= the band gap."},
      {"Richardson constant electrons",
       "A/(cm^2 K^2)",
       "Effective Richardson constant A* of thermionic emission of electrons at Schottky contacts "
       "(120 m*/m0; 120 if unset)."},
      {"Richardson constant holes",
       "A/(cm^2 K^2)",
       "Effective Richardson constant A* of thermionic emission of holes (120 if unset)."},
      {"Landau alpha0",
       "m/(F K)",
       "Landau coefficient slope: alpha = alpha0 (T - Tc), convention f = alpha P^2 + beta P^4 + gamma P^6 + "
       "delta P^8."},
      {"Curie temperature", "K", "Curie temperature Tc of alpha = alpha0 (T - Tc)."},
      {"Landau alpha", "m/F", "Out-of-plane alpha; if set, used instead of alpha0 (T - Tc)."},
      {"Landau beta", "m^5/(F C^2)", "Out-of-plane quartic coefficient."},
      {"Landau gamma", "m^9/(F C^4)", "Out-of-plane sixth-order coefficient."},
      {"Landau delta", "m^13/(F C^6)", "Out-of-plane eighth-order coefficient (CIPS quadruple well)."},
      {"Landau alpha x", "m/F", "In-plane alpha (used instead of alpha0 x (T - Tc x) if set)."},
      {"Landau alpha0 x", "m/(F K)", "In-plane alpha slope."},
      {"Curie temperature x", "K", "In-plane Curie temperature."},
      {"Landau beta x", "m^5/(F C^2)", "In-plane quartic coefficient."},
      {"Landau gamma x", "m^9/(F C^4)", "In-plane sixth-order coefficient."},
      {"Landau delta x", "m^13/(F C^6)", "In-plane eighth-order coefficient."},
      {"Landau beta xz", "m^5/(F C^2)", "Biquadratic cross term beta_xz Px^2 Pz^2."},
      {"IP-OOP coupling",
       "m/F",
       "Bilinear locking term kappa Px Pz of alpha-In2Se3: an in-plane field switches Pz."},
      {"Gradient coefficient", "m^3/F", "Isotropic gradient energy g: (g/2) |grad P|^2."},
      {"Kinetic coefficient", "F/(m s)", "TDGL kinetic coefficient Gamma: (1/Gamma) dP/dt = -dF/dP."},
      {"Disorder spread",
       "1 or MV/cm",
       "With 'Disorder': the standard deviation of the local Landau alpha relative to alpha (random-alpha, "
       "grains; alpha (1 + spread g), g of unit variance) or of the built-in field along the polar axis in "
       "MV/cm (random-field); >= 0."},
      {"Disorder length",
       "nm",
       "With 'Disorder': the correlation length l of the random field, covariance exp(-r^2 / (2 l^2)) "
       "(random-alpha, random-field), or the mean grain size, grain volume l^dim (grains); > 0."},
      {"Disorder depth",
       "nm",
       "With 'Disorder': nucleation sites at interfaces. The disorder acts only within this distance of the "
       "layer's bottom and top faces (the interfacial defects where reversed domains nucleate); the rest of "
       "the film is ideal. 0 or unset: the whole layer; >= 0."},
      {"Disorder seed",
       "1",
       "With 'Disorder': the seed (an integer >= 0) of the disorder's random numbers; the disorder depends "
       "on the position and the seed alone, not on the mesh or the number of MPI ranks (1 if unset)."},
      {"Ion charge", "e", "Charge number z of the mobile ion (one per species: a comma list, e.g. 1, -2).", true},
      {"Ion density", "cm^-3", "Mean density of mobile ions (compensated by a fixed background); a comma list gives several species, 1, 2, ... in its order (every other Ion key then has one value for all or one per species).", true},
      {"Ion max density", "cm^-3", "Site density c_max that limits the ion density.", true},
      {"Ion diffusivity", "cm^2/s", "Ion diffusivity; if unset, prefactor exp(-Ea/kT).", true},
      {"Ion diffusivity prefactor", "cm^2/s", "Arrhenius prefactor D0 of the ion diffusivity.", true},
      {"Ion activation energy", "eV", "Arrhenius activation energy Ea of the ion diffusivity.", true},
      {"Ion hopping distance",
       "nm",
       "Hopping distance a of field-assisted ion hopping (Mott-Gurney): the ion flux grows by "
       "sinh(u)/u, u = |z| q a |E| / (2 kT), over the low-field law; unset or 0: constant mobility.", true},
      {"Ion Landau coupling",
       "m/F",
       "With 'Ion polarization coupling = landau': w of the energy density w ((c - c0)/c0) |P|^2, a shift "
       "w (c - c0)/c0 of the Landau alpha by the local ion density (w > 0 weakens the double well where "
       "ions accumulate); phenomenological, a fit.", true},
      {"Ion exchange rate",
       "cm/s",
       "Of an electrode metal: the rate constant k0 of its Butler-Volmer exchange of the mobile ions of the "
       "layer it touches (an active electrode, e.g. Cu for Cu+, Ag for Ag+); unset or 0: blocking (inert). With several "
       "species in that layer: one value for all, or one per species (0 blocks that species).", true},
      {"Ion exchange density",
       "cm^-3",
       "Of an active electrode metal: the interfacial ion density in equilibrium with the metal at zero "
       "overpotential (0 < value < the layer's Ion max density).", true},
      {"Ion transfer coefficient",
       "1",
       "Of an active electrode metal: the Butler-Volmer transfer coefficient alpha, 0 < alpha < 1 (0.5 if "
       "unset).", true},
      {"Absorption coefficient", "cm^-1", "Optical absorption coefficient (Beer-Lambert)."},
      {"Reflectance", "1", "Reflectance of the illuminated surface."}};
    return keys;
  }
} // namespace FerroStack
