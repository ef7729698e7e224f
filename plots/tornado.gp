# llmcost chart template: tornado
# One bar per input (rowlabel[r]), the caller sorts them largest swing first
# so that row 1 is drawn on top.  Column 1: the metric with the input at its
# low value; column 2: at its high value.  Bars grow from the base value.
set yrange [-0.7:nrows-0.3]
set ytics scale 0
set grid noytics xtics
set style fill solid 0.85 noborder
set arrow 90 from base, graph 0 to base, graph 1 nohead front lw 2 lc rgb '#333333'
set label 90 'base '.base_label at base, graph 1 offset 0.6,-0.9 left front boxed noenhanced
ypos(r) = nrows - 1 - r
lo(v) = (v < base) ? v : base
hi(v) = (v < base) ? base : v
plot datafile using (base):(ypos($0)):(lo($1)):(hi($1)):(ypos($0)-0.38):(ypos($0)+0.38):ytic(rowlabel[int($0)+1]) with boxxyerror lt 1 title series[1] noenhanced, \
     datafile using (base):(ypos($0)):(lo($2)):(hi($2)):(ypos($0)-0.38):(ypos($0)+0.38) with boxxyerror lt 2 title series[2] noenhanced
