# gnuplot script: the MoS2/CIPS FeFET's transfer loops with 0, 1 and 2 nm
# of hBN between CIPS and MoS2, and the retention of its two states.
#   build/ferrostack inputs/fefet/mos2_cips_2d.prm
#   build/ferrostack inputs/fefet/mos2_hbn_cips_2d.prm --output out/hbn1 \
#     --set "Stack/Layers=cips: CIPS: 30 : 10, hbn: hBN: 1 : 2, ch: MoS2: 5 : 5"   (and 2 nm)
#   build/ferrostack inputs/fefet/mos2_cips_retention_2d.prm
#   inputs/fesfet/analyze_transfer.py out/mos2_cips_2d --dat hbn0.dat   (hbn1.dat, hbn2.dat likewise)
#   inputs/fefet/retention_states.py out/mos2_cips_retention_2d > retention.dat
#   build/ferrostack inputs/fefet/mos2_cips_retention_2d.prm --output out/retention_traps \
#     --set "Materials/MoS2/Trap density=2e18" --set "Materials/MoS2/Trap capture electrons=1e-21" \
#     --set "Materials/MoS2/Trap capture holes=1e-21"
#   inputs/fefet/retention_states.py out/retention_traps > retention_traps.dat
#   gnuplot inputs/fefet/plot_fefet.gp        (apt-get install gnuplot-nox)
if (!exists("png")) png = 'mos2_cips_fefet.png'
set terminal pngcairo size 1200,450 font ',11'
set output png
set multiplot layout 1,2 title 'MoS2/CIPS FeFET (30 nm CIPS, 5 nm MoS2, V_{drain} = 0.1 V; FerroStack)'
set grid
set logscale y
set format y '10^{%L}'
set xlabel 'V_{gate} [V]'
set ylabel '|I_{drain}| [A/m]'
set key bottom right
set title 'transfer loops: up (solid), down (dashed)'
plot 'hbn0.dat' using 1:(abs($2)) with lines lw 2 lc rgb '#1f77b4' title 'no hBN (mos2\_cips\_2d)', \
     'hbn0.dat' using 1:(abs($3)) with lines lw 2 dt 2 lc rgb '#1f77b4' notitle, \
     'hbn1.dat' using 1:(abs($2)) with lines lw 2 lc rgb '#2ca02c' title '1 nm hBN', \
     'hbn1.dat' using 1:(abs($3)) with lines lw 2 dt 2 lc rgb '#2ca02c' notitle, \
     'hbn2.dat' using 1:(abs($2)) with lines lw 2 lc rgb '#d62728' title '2 nm hBN', \
     'hbn2.dat' using 1:(abs($3)) with lines lw 2 dt 2 lc rgb '#d62728' notitle
set logscale x
set format x '10^{%L}'
set xlabel 'time since the pulse [s]'
set ylabel 'I_{drain} at V_{gate} = 0 [A/m]'
set yrange [1e-4:1e3]
set key center right
set title 'retention (mos2\_cips\_retention\_2d)'
plot 'retention.dat' index 1 using 1:2 with lines lw 2 lc rgb '#1f77b4' title 'programmed (+5 V, 10 ms)', \
     'retention.dat' index 0 using 1:2 with lines lw 2 lc rgb '#d62728' title 'erased (-5 V, 10 ms)', \
     'retention_traps.dat' index 1 using 1:2 with lines lw 2 dt 2 lc rgb '#1f77b4' title 'programmed, slow traps in MoS2', \
     'retention_traps.dat' index 0 using 1:2 with lines lw 2 dt 2 lc rgb '#d62728' title 'erased, slow traps in MoS2'
unset multiplot
