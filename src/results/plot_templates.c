/* plot_templates.c — the chart templates of plots/ compiled into the binary,
 * so an installed llmcost never needs the source tree.  Each one is
 * NUL-terminated; the Makefile rebuilds this file when a template changes. */
#include "lc_plot.h"

#include <string.h>

/* Local symbols, read-only data; paths are relative to the build's cwd (the
 * repository root). */
#define LC_TEMPLATE(name)                                                                          \
    "lc_plot_tpl_" #name ":\n"                                                                     \
    ".incbin \"plots/" #name ".gp\"\n"                                                             \
    ".byte 0\n"

__asm__(".section .rodata\n" LC_TEMPLATE(style) LC_TEMPLATE(line) LC_TEMPLATE(heatmap)
            LC_TEMPLATE(tornado) LC_TEMPLATE(histogram) LC_TEMPLATE(bars) LC_TEMPLATE(stacked)
                LC_TEMPLATE(timeline) LC_TEMPLATE(sobol) ".previous\n");

extern const char lc_plot_tpl_style[], lc_plot_tpl_line[], lc_plot_tpl_heatmap[],
    lc_plot_tpl_tornado[], lc_plot_tpl_histogram[], lc_plot_tpl_bars[], lc_plot_tpl_stacked[],
    lc_plot_tpl_timeline[], lc_plot_tpl_sobol[];

const char *lc_plot_template(const char *name)
{
    static const struct {
        const char *name;
        const char *text;
    } tpl[] = {
        {"style", lc_plot_tpl_style},         {"line", lc_plot_tpl_line},
        {"heatmap", lc_plot_tpl_heatmap},     {"tornado", lc_plot_tpl_tornado},
        {"histogram", lc_plot_tpl_histogram}, {"bars", lc_plot_tpl_bars},
        {"stacked", lc_plot_tpl_stacked},     {"timeline", lc_plot_tpl_timeline},
        {"sobol", lc_plot_tpl_sobol},
    };
    size_t i;

    if (name == NULL)
        return NULL;
    for (i = 0; i < sizeof tpl / sizeof tpl[0]; i++)
        if (strcmp(tpl[i].name, name) == 0)
            return tpl[i].text;
    return NULL;
}
