# gnuplot script: the P-V and I-V loops of a run's terminals.csv.
#   gnuplot -e "run='out/cips_mfm_1d'; png='cips_pv_loop.png'" inputs/ferroelectric/plot_loop.gp
# (apt-get install gnuplot-nox). Columns: 2 = V_bottom, 3 = I_bottom, 9 = P_fe_z.
if (!exists("run")) run = 'out/cips_mfm_1d'
if (!exists("png")) png = 'cips_pv_loop.png'
set datafile separator ','
set terminal pngcairo size 1000,420 font ',11'
set output png
set multiplot layout 1,2 title 'Au/CIPS(30 nm)/Au at 300 K, one 1 ms triangle of +-3 V (FerroStack, library CIPS)'
set grid
set xlabel 'V_{bottom} [V]'
set ylabel 'P_z [uC/cm^2]'
set key off
plot run.'/terminals.csv' every ::1 using 2:9 with lines lw 2 lc rgb '#1f77b4'
set ylabel 'I_{bottom} [A/m^2] (displacement + dP/dt)'
set logscale y
set ylabel '|I_{bottom}| [A/m^2]'
plot run.'/terminals.csv' every ::1 using 2:(abs($3)) with lines lw 2 lc rgb '#d62728'
unset multiplot
