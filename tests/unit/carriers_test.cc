// Drift-diffusion of electrons and holes (issue #4): Jacobian, diodes,
// MOS capacitor, contacts, conservation.
#include <gtest/gtest.h>

#include "test_utilities.h"

#include <cmath>

using namespace FerroStack;

namespace
{
  /// A ferroelectric-semiconductor channel on a gate oxide with two ohmic
  /// contacts and one Schottky contact: every block of the coupled Jacobian.
  const std::string fesfet_deck = R"(subsection Stack
  set Layers = ox: Al2O3: 3 : 3, ch: In2Se3: 6 : 6
  set Width = 12
  set Lateral cells = 6
  set Doping = ch: donors 1e18
end
subsection Contacts
  set List = g: bottom: gate(4.5), s: top[0,4]: ohmic, d: top[8,12]: schottky(0.3)
end
subsection Physics
  set Polarization = dynamic
  set Carriers = true
end
subsection Initial polarization
  set Mode = random
  set Value = 0.7, 0.9
end
)";
} // namespace

// The hand-derived Jacobian of Poisson + TDGL + electron and hole continuity
// (SRH, BDF time terms, thermionic emission) against central differences.
TEST(Carriers, JacobianMatchesFiniteDifferences)
{
  Testing::DeckRun<2> run("carriers_jacobian", fesfet_deck);
  EXPECT_LT(run.simulator.jacobian_check(), 1e-6);
}
