# gnuplot script: the Ni/CIPS/Ni run (inputs/ions/ni_cips_ni_1d.prm).
#   build/ferrostack-vtu2csv out/ni_cips_ni_1d/solution-00002.pvtu > t1.csv     (t = 1 s, +2 V)
#   build/ferrostack-vtu2csv out/ni_cips_ni_1d/solution-00006.pvtu > t3.csv     (t = 3 s, relaxed)
#   gnuplot -e "run='out/ni_cips_ni_1d'" inputs/ions/plot_ni_cips_ni.gp
# (apt-get install gnuplot-nox). terminals.csv: 1 = time, 2 = V_anode, 3 = I_anode.
# The .csv of ferrostack-vtu2csv: 1 = x [nm], then the point arrays in the
# order of Output/Fields (here 4 = potential, 5 = ions, 6 = electrons).
if (!exists("run")) run = 'out/ni_cips_ni_1d'
if (!exists("png")) png = 'ni_cips_ni.png'
if (!exists("t1")) t1 = 't1.csv'
if (!exists("t3")) t3 = 't3.csv'
set datafile separator ','
set terminal pngcairo size 1400,420 font ',11'
set output png
set multiplot layout 1,3 title 'Ni/CIPS(100 nm)/Ni, mobile Cu+ (c_0 = 1e19 cm^{-3}, D = 4.3e-12 cm^2/s): sweep 0 -> 2 V -> 0 in 2 s, then 0 V (FerroStack)'
set grid
set key top left
set xlabel 'V_{anode} [V]'
set ylabel 'I_{anode} [A/m^2] (ionic displacement current)'
plot run.'/terminals.csv' every ::1 using ($1 <= 2 ? $2 : 1/0):3 with lines lw 2 lc rgb '#1f77b4' title 'sweep'
set xlabel 'time [s]'
set ylabel '|I_{anode}| [A/m^2]'
set logscale y
set key top right
plot run.'/terminals.csv' every ::1 using ($1 >= 2 ? $1 : 1/0):(abs($3)) with lines lw 2 lc rgb '#d62728' title 'after the sweep (tau = 0.12 s)'
unset logscale y
set logscale y
set xlabel 'depth x [nm] (anode at 0, cathode at 100)'
set ylabel 'Cu^+ density [cm^{-3}]'
set key bottom right
set yrange [1e12:1e22]
set format y '10^{%L}'
plot 4.8e21 with lines dt 2 lc rgb '#7f7f7f' title 'c_{max}', t1 every ::1 using 1:5 with lines lw 2 lc rgb '#2ca02c' title 't = 1 s (+2 V)', \
     t3 every ::1 using 1:5 with lines lw 2 lc rgb '#9467bd' title 't = 3 s (relaxed)'
unset multiplot
