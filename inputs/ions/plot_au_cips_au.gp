# gnuplot script: the Au/CIPS/Au pulse trains (inputs/ions/au_cips_au_1d.prm).
#   gnuplot -e "run='out/au_cips_au_1d'" inputs/ions/plot_au_cips_au.gp
# terminals.csv: 1 = time, 2 = V_top, 3 = I_top, 4 = Q_top, 9 = P_cips_z.
if (!exists("run")) run = 'out/au_cips_au_1d'
if (!exists("png")) png = 'au_cips_au.png'
set datafile separator ','
set terminal pngcairo size 1000,420 font ',11'
set output png
set multiplot layout 1,2 title 'Au/CIPS(100 nm)/Au, P + mobile Cu^+: five +6 V, 1 ms pulses 2 ms apart, then five 100 ms apart (FerroStack)'
set grid
set key bottom right
set xlabel 'time [ms]'
set ylabel 'Q_{top} [C/m^2]'
set xrange [0:12]
plot run.'/terminals.csv' every ::1 using ($1*1e3):4 with lines lw 2 lc rgb '#1f77b4' title '2 ms apart'
set xrange [90:520]
plot run.'/terminals.csv' every ::1 using ($1*1e3):4 with lines lw 2 lc rgb '#d62728' title '100 ms apart'
unset multiplot
