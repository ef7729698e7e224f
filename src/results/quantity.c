/* quantity.c — a model quantity's kind, display unit and values. */
#include "lc_quantity.h"

#include <stdlib.h>
#include <string.h>

lc_colkind lc_fill_kind(const lc_scenario *s, size_t qi)
{
    const lc_qty *q = lc_model_qty(s->model, qi);
    if (strstr(q->unit, "CUR") != NULL)
        return LC_COL_MONEY;
    if (strcmp(q->unit, "%") == 0)
        return LC_COL_SHARE;
    if (q->domain == LC_DOM_COUNT || q->domain == LC_DOM_COUNT1)
        return LC_COL_COUNT;
    return LC_COL_QUANTITY;
}

char *lc_fill_unit(const lc_scenario *s, size_t qi)
{
    const lc_qty *q = lc_model_qty(s->model, qi);
    /* A display name is the unit with CUR replaced: at most the currency code's
     * length more per CUR. */
    size_t size = strlen(q->unit) * 4 + 16;
    char *buf = malloc(size);
    if (buf)
        lc_units_display_name(&s->units, q->unit, buf, size);
    return buf;
}

double lc_fill_value(const lc_scenario *s, size_t qi, double base)
{
    return lc_units_to(&s->units, base, lc_model_qty(s->model, qi)->unit);
}
