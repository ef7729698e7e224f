# llmcost chart template: style
# The look shared by every chart.  A generated script is: its variables, this
# file, then the template of its chart kind.  Templates use only set/unset,
# plot, stats, if/else, do for, array and assignments: lc_plot_check_script
# refuses system, shell, load, print, pipes and the like in generated scripts.
# Every text comes from a variable (a single-quoted literal above) and is
# drawn noenhanced, so no user text is ever read as gnuplot code or markup.
set encoding utf8
# Font families are tried left to right; install fonts-noto-cjk so that
# Chinese titles render (otherwise fontconfig picks whatever covers them).
font_name = 'Noto Sans CJK SC,DejaVu Sans'
if (fmt eq 'svg') {
    set terminal svg size 1200,750 dynamic noenhanced font font_name.',14' background '#ffffff'
} else {
    if (fmt eq 'pdf') {
        set terminal pdfcairo size 10in,6.25in noenhanced font font_name.',11' background '#ffffff'
    } else {
        set terminal pngcairo size 1200,750 noenhanced font font_name.',14' background '#ffffff'
    }
}
set output outfile

# One palette everywhere (Okabe-Ito: distinguishable with colour blindness).
set linetype 1 lc rgb '#0072B2' lw 2.5 pt 7 ps 1.0 dt solid
set linetype 2 lc rgb '#E69F00' lw 2.5 pt 5 ps 1.0 dt solid
set linetype 3 lc rgb '#009E73' lw 2.5 pt 9 ps 1.2 dt solid
set linetype 4 lc rgb '#D55E00' lw 2.5 pt 11 ps 1.2 dt solid
set linetype 5 lc rgb '#CC79A7' lw 2.5 pt 13 ps 1.2 dt solid
set linetype 6 lc rgb '#56B4E9' lw 2.5 pt 7 ps 1.0 dt solid
set linetype 7 lc rgb '#9A8200' lw 2.5 pt 5 ps 1.0 dt solid
set linetype 8 lc rgb '#555555' lw 2.5 pt 9 ps 1.2 dt solid
set linetype cycle 8
# Sequential palette for heat maps (viridis).
set palette defined (0 '#440154', 0.25 '#3B528B', 0.5 '#21918C', 0.75 '#5EC962', 1 '#FDE725')

set border 3 lw 1.2 lc rgb '#404040'
set tics nomirror out scale 0.6
set grid back xtics ytics lt 1 lw 1 lc rgb '#DCDCDC'
set key below center horizontal reverse Left noenhanced samplen 2.5 spacing 1.2 width 2 height 1
set title chart_title noenhanced font ',18'
set xlabel xlabel_text noenhanced offset 0,0.3
set ylabel ylabel_text noenhanced
set format x xfmt
set format y yfmt
set style fill solid 0.85 noborder
if (logx) {
    set logscale x
}
if (logy) {
    set logscale y
}

# Ticks llmcost chose for axes with large numbers ('0, 500k, 1M, 1.5M'
# rather than one format for all); the other axes keep gnuplot's.
if (nxtics > 0) {
    set xrange [xtic_lo:xtic_hi]
    set xtics ()
    do for [i=1:nxtics] {
        set xtics add (xtic_label[i] xtic_value[i])
    }
}
if (nytics > 0) {
    set yrange [ytic_lo:ytic_hi]
    set ytics ()
    do for [i=1:nytics] {
        set ytics add (ytic_label[i] ytic_value[i])
    }
}
if (ncbtics > 0) {
    set cbrange [cbtic_lo:cbtic_hi]
    set cbtics ()
    do for [i=1:ncbtics] {
        set cbtics add (cbtic_label[i] cbtic_value[i])
    }
}

# Markers (percentiles, break-even month...): dashed vertical lines at x,
# labels on a white box, staggered so that close markers stay readable.
set style textbox opaque noborder margins 2,2
if (nmarkers > 0) {
    do for [k=1:nmarkers] {
        set arrow 100+k from marker_x[k], graph 0 to marker_x[k], graph 1 nohead front lw 2 dt 2 lc rgb '#333333'
        if (marker_right[k]) {
            set label 100+k marker_label[k] at marker_x[k], graph (0.97 - 0.05*((k-1)%3)) offset -0.6,0 right front boxed noenhanced textcolor rgb '#333333'
        } else {
            set label 100+k marker_label[k] at marker_x[k], graph (0.97 - 0.05*((k-1)%3)) offset 0.6,0 left front boxed noenhanced textcolor rgb '#333333'
        }
    }
}
