# gnuplot script: the Au/In2Se3/Ti run with mobile Se vacancies
# (inputs/ions/in2se3_vse_1d.prm) against the same deck without them.
#   build/ferrostack inputs/ions/in2se3_vse_1d.prm
#   build/ferrostack inputs/ions/in2se3_vse_1d.prm --output out/in2se3_no_ions --set "Physics/Ions=false"
#   build/ferrostack-vtu2csv out/in2se3_vse_1d/solution-00001.pvtu > vse_p.csv   (t = 0.1 s, +1.5 V)
#   build/ferrostack-vtu2csv out/in2se3_vse_1d/solution-00003.pvtu > vse_n.csv   (t = 0.3 s, -1.5 V)
#   gnuplot inputs/ions/plot_in2se3_vse.gp
# terminals.csv: 2 = V_au, 3 = I_au. The .csv of ferrostack-vtu2csv: 1 = x [nm],
# 4 = potential, then ions, electrons, holes, current density (Output/Fields order).
if (!exists("run")) run = 'out/in2se3_vse_1d'
if (!exists("ref")) ref = 'out/in2se3_no_ions'
if (!exists("png")) png = 'in2se3_vse.png'
if (!exists("pos")) pos = 'vse_p.csv'
if (!exists("neg")) neg = 'vse_n.csv'
set datafile separator ','
set terminal pngcairo size 1000,420 font ',11'
set output png
set multiplot layout 1,2 title 'Au/alpha-In_2Se_3(100 nm)/Ti with mobile V_{Se}^{2+} (1e18 cm^{-3}, D = 2e-11 cm^2/s), +-1.5 V triangles of 0.4 s (FerroStack)'
set grid
set format y '10^{%L}'
set xlabel 'V_{au} [V]'
set ylabel '|I_{au}| [A/m^2]'
set logscale y
set key top left
plot run.'/terminals.csv' every ::1 using 2:(abs($3)) with lines lw 2 lc rgb '#1f77b4' title 'with vacancies (2 cycles)', \
     ref.'/terminals.csv' every ::1 using 2:(abs($3)) with lines lw 2 dt 2 lc rgb '#7f7f7f' title 'without'
set xlabel 'depth x [nm] (Au at 0, Ti at 100)'
set ylabel 'V_{Se} density [cm^{-3}]'
set key bottom center
plot pos every ::1 using 1:5 with lines lw 2 lc rgb '#d62728' title 't = 0.1 s (+1.5 V on Au)', \
     neg every ::1 using 1:5 with lines lw 2 lc rgb '#2ca02c' title 't = 0.3 s (-1.5 V)'
unset multiplot
