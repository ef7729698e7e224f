/* lc_report — a report is a document (lc_result.h) rendered twice into a
 * folder: DIR/report.html, self-contained (charts embedded as PNG data), and
 * DIR/report.md (charts linked as PNG files beside it).  The command builds the document
 * from the same drivers and fill functions the other commands use. */
#ifndef LC_REPORT_H
#define LC_REPORT_H

#include "lc_error.h"
#include "lc_result.h"

/* Draw the charts of d into dir (PNG), then write report.html and report.md
 * atomically.  LC_OK; LC_EOUTPUT when charts could not be drawn (the report
 * is still written, saying so in a warning); another error otherwise. */
int lc_report_write(lc_doc *d, const char *dir, lc_error *err);

#endif
