# gnuplot script: remanent levels of cips_film_multilevel_2d.prm (the
# remanent_levels.csv of inputs/ferroelectric/remanent_levels.py) and maps
# of P_z (CSV files of ferrostack-vtu2csv; col = the column of polarization_1,
# 5 with the deck's fields: x, y, z, polarization x3, ...).
#   gnuplot -e "run='out/cips_film_multilevel_2d'; maps='m_00001.csv m_00002.csv m_00004.csv'; png='cips_multilevel.png'" plot_multilevel.gp
if (!exists("png")) png = 'cips_multilevel.png'
if (!exists("col")) col = 5
if (!exists("titles")) titles = 'after_pulse_5 after_pulse_15 after_pulse_35'
set datafile separator ','
set terminal pngcairo size 1100, 700 font ',11'
set output png
set multiplot
set size 0.5, 1
set origin 0, 0
set grid
set xlabel 'pulse'
set ylabel 'remanent <P_z> [uC/cm^2]'
set title 'CIPS 20 nm x 80 nm, random field 0.3 MV/cm, l = 2.5 nm'
set key top left
plot run.'/remanent_levels.csv' skip 1 using 1:2 with linespoints pt 7 ps 0.7 lw 1.5 lc rgb '#1f77b4' title 'read at 0 V before the next pulse'
unset grid
unset key
space(s) = (strstrt(s, '_') ? space(s[1:strstrt(s, '_') - 1].' '.s[strstrt(s, '_') + 1:]) : s)
set palette defined (-1 '#2166ac', 0 '#f7f7f7', 1 '#b2182b')
set cbrange [-4.2:4.2]
set size ratio -1
set xlabel 'x [nm]'
set ylabel 'z [nm]'
n = words(maps)
do for [i=1:n] {
  set size 0.5, 1.0 / n
  set origin 0.5, 1 - i * 1.0 / n
  set title 'P_z [uC/cm^2], '.space(word(titles, i))
  plot word(maps, i) skip 1 using 1:2:col with points pt 5 ps 0.35 palette
}
unset multiplot
