# gnuplot script: P_z and electron density in the channel of the two FeS-FET
# decks at the two gate extremes (outputs t = 1 s and t = 3 s), from CSV files
# written by ferrostack-vtu2csv (columns: x, y, z, P_x, P_z, P_y, J..., phi,
# electrons, holes, material; y is the vertical coordinate):
#   build/ferrostack-vtu2csv out/in2se3_sio2_270nm/solution-00001.pvtu > sio2_1.csv  (and _3, and al2o3_1/_3)
#   gnuplot -e "dir='.'; png='fesfet_fields.png'" inputs/fesfet/plot_fields.gp
if (!exists("dir")) dir = '.'
if (!exists("png")) png = 'fesfet_fields.png'
set datafile separator ','
set terminal pngcairo size 1200,1000 font ',10'
set output png
set multiplot layout 4,2 title 'FeS-FET channel (30 nm In2Se3) at the gate extremes: left -V_{max}, right +V_{max} (FerroStack)'
set xlabel 'x [nm]'
set ylabel 'height above the oxide [nm]'
set key off
set xrange [0:400]
set yrange [0:30]
set palette defined (-1 '#2166ac', 0 '#f7f7f7', 1 '#b2182b')
do for [deck in 'sio2 al2o3'] {
  t_ox = (deck eq 'sio2') ? 270 : 10
  name = (deck eq 'sio2') ? '270 nm SiO2' : '10 nm Al2O3'
  vmax = (deck eq 'sio2') ? '40' : '5'
  set palette defined (-1 '#2166ac', 0 '#f7f7f7', 1 '#b2182b')
  set cbrange [-1.5:1.5]
  set cblabel 'P_z [uC/cm^2]'
  set title name.': P_z at V_{gate} = -'.vmax.' V'
  plot dir.'/'.deck.'_1.csv' skip 1 using 1:($2-t_ox):($2 >= t_ox ? $5 : 1/0) with points pt 5 ps 1.3 palette
  set title name.': P_z at V_{gate} = +'.vmax.' V'
  plot dir.'/'.deck.'_3.csv' skip 1 using 1:($2-t_ox):($2 >= t_ox ? $5 : 1/0) with points pt 5 ps 1.3 palette
  set palette defined (0 '#000004', 0.5 '#b63679', 1 '#fcfdbf')
  set cbrange [10:20]
  set cblabel 'log_{10} n [cm^{-3}]'
  set title name.': electrons at V_{gate} = -'.vmax.' V'
  plot dir.'/'.deck.'_1.csv' skip 1 using 1:($2-t_ox):($2 >= t_ox && $11 > 0 ? log10($11) : 1/0) with points pt 5 ps 1.3 palette
  set title name.': electrons at V_{gate} = +'.vmax.' V'
  plot dir.'/'.deck.'_3.csv' skip 1 using 1:($2-t_ox):($2 >= t_ox && $11 > 0 ? log10($11) : 1/0) with points pt 5 ps 1.3 palette
}
unset multiplot
