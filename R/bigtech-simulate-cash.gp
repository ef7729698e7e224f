# llmcost chart script (generated): a timeline chart.
# Draw it again in this folder with:  gnuplot bigtech-simulate-cash.gp
# Another format (png, svg, pdf):      gnuplot -e "fmt='svg'" bigtech-simulate-cash.gp
# llmcost itself runs: gnuplot -d -c bigtech-simulate-cash.gp OUTPUT DATA
# Texts are single-quoted literals (a quote inside is joined in as "'");
# the plotting code after the variables is the template built into llmcost.
if (exists("fmt") == 0) {
    fmt = 'png'
}
stem = 'bigtech-simulate-cash'
outfile = stem.'.'.fmt
datafile = stem.'.dat'
if (exists("ARGC") && ARGC >= 1) {
    outfile = ARG1
}
if (exists("ARGC") && ARGC >= 2) {
    datafile = ARG2
}
chart_kind = 'timeline'
chart_title = 'Cash month by month: A big-tech firm that owns its GPUs (B2, B4)'
xlabel_text = 'months from the start'
ylabel_text = 'cash (CNY)'
y2label_text = 'cumulative (%)'
cblabel_text = ''
xfmt = '%g'
yfmt = '%g'
logx = 0
logy = 0
band = 1
yfrom0 = 1
nrows = 60
ncols = 5
base = 0.0
binwidth = 1.0
base_label = '0'
nxtics = 0
xtic_lo = 0.0
xtic_hi = 0.0
array xtic_value[1]
array xtic_label[1]
nytics = 10
ytic_lo = -2000000000.0
ytic_hi = 16000000000.0
array ytic_value[10]
array ytic_label[10]
ytic_value[1] = -2000000000.0
ytic_label[1] = '-2B'
ytic_value[2] = 0.0
ytic_label[2] = '0'
ytic_value[3] = 2000000000.0
ytic_label[3] = '2B'
ytic_value[4] = 4000000000.0
ytic_label[4] = '4B'
ytic_value[5] = 6000000000.0
ytic_label[5] = '6B'
ytic_value[6] = 8000000000.0
ytic_label[6] = '8B'
ytic_value[7] = 10000000000.0
ytic_label[7] = '10B'
ytic_value[8] = 12000000000.0
ytic_label[8] = '12B'
ytic_value[9] = 14000000000.0
ytic_label[9] = '14B'
ytic_value[10] = 16000000000.0
ytic_label[10] = '16B'
ncbtics = 0
cbtic_lo = 0.0
cbtic_hi = 0.0
array cbtic_value[1]
array cbtic_label[1]
array series[5]
series[1] = 'month'
series[2] = 'cash P5'
series[3] = 'cash P50'
series[4] = 'cash P95'
series[5] = 'cash (base case)'
array rowlabel[1]
rowlabel[1] = ''
nmarkers = 2
array marker_x[2]
array marker_label[2]
array marker_right[2]
marker_x[1] = 36.0
marker_label[1] = '3 years'
marker_right[1] = 0
marker_x[2] = 60.0
marker_label[2] = '5 years'
marker_right[2] = 1

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

# llmcost chart template: timeline
# Month by month: column 1 is the month.  With band = 1, columns 2, 3, 4 are
# low, median and high (P5, P50, P95): a filled band around the median line.
# Any other column is one more line.
# A sweep or a time line spans its first to last x.
if (nxtics == 0) {
    set autoscale xfix
}
if (band) {
    plot datafile using 1:2:4 with filledcurves lc rgb '#0072B2' fillstyle transparent solid 0.2 noborder title series[2].' – '.series[4] noenhanced, \
         datafile using 1:3 with lines lt 1 lw 3 title series[3] noenhanced, \
         for [i=5:ncols] datafile using 1:i with lines lt (i-3) title series[i] noenhanced
} else {
    plot for [i=2:ncols] datafile using 1:i with lines lt (i-1) title series[i] noenhanced
}
