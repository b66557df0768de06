# gnuplot script: the Al2O3 FeS-FET channel at V_gate = 0 on the two branches
# of the loop (outputs t = 2 s, up, and t = 4 s, down): in-plane P_x,
# out-of-plane P_z and the electron density, from ferrostack-vtu2csv output
# (columns: x, y, z, P_x, P_z, P_y, J..., phi, electrons, holes, material):
#   build/ferrostack-vtu2csv out/in2se3_al2o3_10nm/solution-00002.pvtu > al2o3_up0.csv
#   build/ferrostack-vtu2csv out/in2se3_al2o3_10nm/solution-00004.pvtu > al2o3_down0.csv
#   gnuplot -e "dir='.'; png='fesfet_zero_gate.png'" inputs/fesfet/plot_zero_gate.gp
if (!exists("dir")) dir = '.'
if (!exists("png")) png = 'fesfet_zero_gate.png'
set datafile separator ','
set terminal pngcairo size 1200,750 font ',10'
set output png
set multiplot layout 3,2 title '10 nm Al2O3 FeS-FET at V_{gate} = 0: left on the way up (t = 2 s), right on the way down (t = 4 s) (FerroStack)'
set xlabel 'x [nm]'
set ylabel 'height above the oxide [nm]'
set key off
set xrange [0:400]
set yrange [0:30]
t_ox = 10
set palette defined (-1 '#2166ac', 0 '#f7f7f7', 1 '#b2182b')
set cbrange [-6:6]
set cblabel 'P_x [uC/cm^2]'
do for [branch in 'up0 down0'] {
  set title 'P_x (in-plane), '.(branch eq 'up0' ? 'up' : 'down').' branch'
  plot dir.'/al2o3_'.branch.'.csv' skip 1 using 1:($2-t_ox):($2 >= t_ox ? $4 : 1/0) with points pt 5 ps 1.3 palette
}
set cbrange [-1.5:1.5]
set cblabel 'P_z [uC/cm^2]'
do for [branch in 'up0 down0'] {
  set title 'P_z (out-of-plane), '.(branch eq 'up0' ? 'up' : 'down').' branch'
  plot dir.'/al2o3_'.branch.'.csv' skip 1 using 1:($2-t_ox):($2 >= t_ox ? $5 : 1/0) with points pt 5 ps 1.3 palette
}
set palette defined (0 '#000004', 0.5 '#b63679', 1 '#fcfdbf')
set cbrange [6:20]
set cblabel 'log_{10} n [cm^{-3}]'
do for [branch in 'up0 down0'] {
  set title 'electrons, '.(branch eq 'up0' ? 'up' : 'down').' branch'
  plot dir.'/al2o3_'.branch.'.csv' skip 1 using 1:($2-t_ox):($2 >= t_ox && $11 > 0 ? log10($11) : 1/0) with points pt 5 ps 1.3 palette
}
unset multiplot
