/* lc_report — a report for one or several scenarios: a self-contained HTML
 * page (charts embedded as PNG data) and a Markdown file (charts linked), with
 * each scenario's assumptions and their sources, key metrics with units, the
 * claims verdicts, the charts of its analyses, and a comparison when several
 * scenarios are given.  Borrows the scenarios. */
#ifndef LC_REPORT_H
#define LC_REPORT_H

#include <stddef.h>

#include "lc_error.h"
#include "lc_scenario.h"

/* Write DIR/report.html, DIR/report.md and the charts (PNG files in DIR).  Returns
 * LC_OK, or LC_EOUTPUT when charts could not be drawn (the report is still
 * written, saying so), or another error. */
int lc_report_write(lc_scenario **s, size_t n, const char *dir, lc_error *err);

#endif
