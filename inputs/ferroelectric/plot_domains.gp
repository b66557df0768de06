# gnuplot script: maps of the vertical polarization of 2D runs, one panel per
# CSV file written by ferrostack-vtu2csv (columns x, y, z, then the fields;
# col = the column of `polarization [uC/cm^2]_1`, 8 with the default fields).
#   gnuplot -e "files='a.csv b.csv'; titles='first_frame second_frame'; png='domains.png'; heading='...'" plot_domains.gp
# (titles are words; '_' stands for a space)
if (!exists("png")) png = 'domains.png'
if (!exists("heading")) heading = ''
if (!exists("col")) col = 8
set datafile separator ','
n = words(files)
set terminal pngcairo size 1000, 260*n font ',10'
set output png
set termoption noenhanced
set multiplot layout n,1 title heading
space(s) = (strstrt(s, '_') ? space(s[1:strstrt(s, '_') - 1].' '.s[strstrt(s, '_') + 1:]) : s)
set palette defined (-1 '#2166ac', 0 '#f7f7f7', 1 '#b2182b')
set size ratio -1
set xlabel 'x [nm]'
set ylabel 'z [nm]'
set cblabel 'P_z [uC/cm^2]'
set key off
do for [i=1:n] {
  f = word(files, i)
  set title space(word(titles, i))
  stats f skip 1 using col nooutput
  m = (abs(STATS_min) > abs(STATS_max) ? abs(STATS_min) : abs(STATS_max))
  set cbrange [-m:m]
  plot f skip 1 using 1:2:col with points pt 5 ps 0.6 palette
}
unset multiplot
