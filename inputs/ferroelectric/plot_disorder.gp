# gnuplot script: the ideal and the disordered CIPS film (cips_film_disordered_2d.prm
# and the same deck with Disorder = none): P-V loops, and the domains and the
# disorder half-way down the descending branch (a CSV of ferrostack-vtu2csv:
# column 8 = polarization [uC/cm^2]_1, 11 = disorder [1]).
#   gnuplot -e "ideal='out/ideal'; disordered='out/cips_film_disordered_2d'; map='f11.csv'; png='cips_disorder_loops.png'" plot_disorder.gp
if (!exists("png")) png = 'cips_disorder_loops.png'
set datafile separator ','
set terminal pngcairo size 1100, 820 font ',11'
set output png
set multiplot
set grid
# P-V loops (terminals.csv: column 2 = V_bottom, 9 = P_fe_z, 1 = time).
set size 0.5, 1.0
set origin 0, 0
set xlabel 'V_{bottom} [V]'
set ylabel '<P_z> [uC/cm^2]'
set title 'CIPS film 20 nm x 50 nm, 12 V/ms; random field 0.5 MV/cm, l = 5 nm'
set key bottom right
plot ideal.'/terminals.csv' every ::1 using 2:($1 <= 1.25e-3 ? $9 : 1/0) with lines lw 2 dt 2 lc rgb '#7f7f7f' title 'ideal film', \
     disordered.'/terminals.csv' every ::1 using 2:($1 > 1.25e-3 ? $9 : 1/0) with lines lw 3 lc rgb '#d62728' title 'minor loop (turn at -0.6 V)', \
     disordered.'/terminals.csv' every ::1 using 2:($1 <= 1.25e-3 ? $9 : 1/0) with lines lw 1.5 lc rgb '#1f77b4' title 'disordered: major loop'
unset grid
set size ratio -1
set palette defined (-1 '#2166ac', 0 '#f7f7f7', 1 '#b2182b')
set xlabel 'x [nm]'
set ylabel 'z [nm]'
unset key
set size 0.5, 0.5
set origin 0.5, 0.5
set title 'P_z at -0.6 V on the way down [uC/cm^2]'
set cbrange [-4.2:4.2]
plot map skip 1 using 1:2:8 with points pt 5 ps 0.5 palette
set origin 0.5, 0
set title 'disorder g (built-in field 0.5 g MV/cm)'
set cbrange [-2.5:2.5]
plot map skip 1 using 1:2:11 with points pt 5 ps 0.5 palette
unset multiplot
