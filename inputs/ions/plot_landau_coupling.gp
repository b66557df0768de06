# gnuplot script: the Landau coupling at equilibrium (inputs/ions/cips_landau_coupling_1d.prm).
#   build/ferrostack inputs/ions/cips_landau_coupling_1d.prm --output out/lc_landau
#   build/ferrostack inputs/ions/cips_landau_coupling_1d.prm --output out/lc_charge \
#       --set "Materials/CIPS/Ion polarization coupling=charge"
#   build/ferrostack-vtu2csv out/lc_landau/solution-00001.pvtu > landau.csv   (t = 10 ms)
#   build/ferrostack-vtu2csv out/lc_charge/solution-00001.pvtu > charge.csv
#   gnuplot inputs/ions/plot_landau_coupling.gp
# (apt-get install gnuplot-nox). The .csv of ferrostack-vtu2csv: 1 = x [nm],
# then the point arrays in the order of Output/Fields (here 4 = potential,
# 5 = polarization, 6 = ions).
if (!exists("png")) png = 'cips_landau_coupling.png'
if (!exists("landau")) landau = 'landau.csv'
if (!exists("charge")) charge = 'charge.csv'
set datafile separator ','
set terminal pngcairo size 1200,440 font ',11'
set output png
set multiplot layout 1,2 title 'Au/CIPS(20 nm)/Au at +0.3 V, equilibrium: Cu^+ coupled to P through charge only, or also through f_c = w ((c - c_0)/c_0) P^2, w = 2.5e8 m/F (FerroStack)'
set grid
set xlabel 'depth x [nm] (bottom electrode at 0, +0.3 V; top at 20, grounded)'
set ylabel 'P_z [uC/cm^2]'
set key bottom left
plot charge every ::1 using 1:5 with lines lw 2 lc rgb '#1f77b4' title 'charge', \
     landau every ::1 using 1:5 with lines lw 2 lc rgb '#d62728' title 'landau'
set logscale y
set format y '10^{%L}'
set yrange [1e10:1e22]
set ylabel 'Cu^+ density [cm^{-3}]'
set key top left
plot 4.8e21 with lines dt 2 lc rgb '#7f7f7f' title 'c_{max}', \
     charge every ::1 using 1:6 with lines lw 2 lc rgb '#1f77b4' title 'charge', \
     landau every ::1 using 1:6 with lines lw 2 lc rgb '#d62728' title 'landau'
unset multiplot
