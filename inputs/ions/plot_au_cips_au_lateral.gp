# gnuplot script: the lateral Au/CIPS/Au priming runs (inputs/ions/au_cips_au_lateral_2d.prm).
#   build/ferrostack inputs/ions/au_cips_au_lateral_2d.prm --output out/lateral_primed
#   build/ferrostack inputs/ions/au_cips_au_lateral_2d.prm --output out/lateral_alone \
#       --set "Bias/anode=PWL(0 0, 1.5 0, 1.51 10, 2.5 10, 2.51 0, 3 0)"
#   for r in primed alone; do for n in 3 5; do
#     build/ferrostack-vtu2csv out/lateral_$r/solution-0000$n.pvtu > lateral_${r}_$n.csv; done; done
#   gnuplot inputs/ions/plot_au_cips_au_lateral.gp
# (apt-get install gnuplot-nox). terminals.csv: 1 = time, 2 = V_anode, 3 = I_anode [A/m].
# The .csv of ferrostack-vtu2csv: 1 = x, 2 = y [nm], then the point arrays in
# the order of Output/Fields: 4-6 current density, 7 potential, 8 ions, 9 electrons.
if (!exists("primed")) primed = 'out/lateral_primed'
if (!exists("alone")) alone = 'out/lateral_alone'
if (!exists("png")) png = 'au_cips_au_lateral.png'
set datafile separator ','
set terminal pngcairo size 1500,440 font ',11'
set output png
set multiplot layout 1,3 title 'Lateral Au-CIPS-Au (20 nm flake, 1 um gap), Cu^+ + electrons: 4 V, 1 s priming, then 10 V, 1 s (FerroStack)'
set grid
set xlabel 'time [s]'
set ylabel 'I_{anode} [A/m] (per metre of width)'
set logscale y
set format y '10^{%L}'
set yrange [1e-12:1e-4]
set key bottom right
plot primed.'/terminals.csv' every ::1 using 1:(abs($3) > 0 ? abs($3) : 1/0) with lines lw 2 lc rgb '#d62728' title 'primed (4 V, then 10 V)', \
     alone.'/terminals.csv' every ::1 using 1:(abs($3) > 0 ? abs($3) : 1/0) with lines lw 2 lc rgb '#1f77b4' title '10 V alone'
set xlabel 'time in the 10 V pulse [s]'
set ylabel 'I_{anode} [A/m]'
unset logscale y
set autoscale y
set format y '%g'
set key top left
plot primed.'/terminals.csv' every ::1 using ($1 >= 1.5 && $1 <= 2.51 ? $1 - 1.5 : 1/0):3 with lines lw 2 lc rgb '#d62728' title 'primed', \
     alone.'/terminals.csv' every ::1 using ($1 >= 1.5 && $1 <= 2.51 ? $1 - 1.5 : 1/0):3 with lines lw 2 lc rgb '#1f77b4' title 'alone'
set logscale y
set format y '10^{%L}'
set yrange [1e15:1e22]
set xrange [1000:1200]
set xlabel 'x along the top surface [nm] (cathode from 1100)'
set ylabel 'Cu^+ at the top surface [cm^{-3}]'
set key bottom left
plot 'lateral_primed_3.csv' every ::1 using ($2 > 19.99 ? $1 : 1/0):8 with lines lw 2 lc rgb '#ff7f0e' title 'primed, t = 1.5 s (start of 10 V)', \
     'lateral_primed_5.csv' every ::1 using ($2 > 19.99 ? $1 : 1/0):8 with lines lw 2 lc rgb '#d62728' title 'primed, t = 2.5 s (end of 10 V)', \
     'lateral_alone_5.csv' every ::1 using ($2 > 19.99 ? $1 : 1/0):8 with lines lw 2 dt 2 lc rgb '#1f77b4' title 'alone, t = 2.5 s'
unset multiplot
