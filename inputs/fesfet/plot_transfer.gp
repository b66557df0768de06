# gnuplot script: the transfer loops of the two FeS-FET decks, from the
# up/down branch files written by analyze_transfer.py --dat:
#   inputs/fesfet/analyze_transfer.py out/in2se3_sio2_270nm --dat sio2.dat
#   inputs/fesfet/analyze_transfer.py out/in2se3_al2o3_10nm --dat al2o3.dat
#   gnuplot -e "sio2='sio2.dat'; al2o3='al2o3.dat'; png='fesfet_transfer.png'" inputs/fesfet/plot_transfer.gp
# (apt-get install gnuplot-nox)
if (!exists("png")) png = 'fesfet_transfer.png'
set terminal pngcairo size 1100,800 font ',11'
set output png
set multiplot layout 2,2 title 'alpha-In2Se3 FeS-FET (30 nm channel, V_{drain} = 0.1 V): same materials, two gate oxides (FerroStack)'
set grid
set key top left
set xlabel 'V_{gate} [V]'
set ylabel '|I_{drain}| [A/m]'
set logscale y
set format y '10^{%L}'
set title '270 nm SiO2, +-40 V: clockwise'
plot sio2 using 1:(abs($2)) with lines lw 2 lc rgb '#1f77b4' title 'up (-40 -> +40 V)', \
     sio2 using 1:(abs($3)) with lines lw 2 lc rgb '#d62728' title 'down (+40 -> -40 V)'
set title '10 nm Al2O3, +-5 V: anticlockwise on-state, crossing tails'
plot al2o3 using 1:(abs($2)) with lines lw 2 lc rgb '#1f77b4' title 'up (-5 -> +5 V)', \
     al2o3 using 1:(abs($3)) with lines lw 2 lc rgb '#d62728' title 'down (+5 -> -5 V)'
unset logscale y
set format y '%g'
set ylabel 'I_{drain} [A/m]'
set title 'SiO2, linear: the branches meet in the on-state'
set xrange [0:40]
plot sio2 using 1:2 with lines lw 2 lc rgb '#1f77b4' title 'up', \
     sio2 using 1:3 with lines lw 2 lc rgb '#d62728' title 'down'
set title 'Al2O3, linear: down branch above the up branch'
set xrange [0:5]
plot al2o3 using 1:2 with lines lw 2 lc rgb '#1f77b4' title 'up', \
     al2o3 using 1:3 with lines lw 2 lc rgb '#d62728' title 'down'
unset multiplot
