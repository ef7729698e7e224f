/* test_report.c — lc_report_write: the Markdown and HTML of one and of several
 * scenarios, checked line by line against numbers worked out by hand; text
 * escaped for each format; the comparison of scenarios that share a money
 * metric (and the note when they do not); errors that leave no report behind.
 *
 * The scenarios: DGX A100 servers (6.5 kW, 8 GPUs each), PUE 2, 24 hours a day at
 * 0.1 USD/kWh: a server costs 6.5 x 2 x 24 x 0.1 = 31.2 USD a day, so
 *   A: 10 servers -> 312 USD/day, 80 GPUs;  B: 20 servers -> 624 USD/day, 160 GPUs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lc_io.h"
#include "lc_report.h"
#include "lc_scenario.h"

static const char *A =
    "scenario: A <&> \"q\"\n"
    "description: \"cost_*_x\"\n"
    "currency: USD\n"
    "inputs: { fleet.server: dgx-a100, fleet.servers: 10, power.cooling_ratio: 1,\n"
    "          electricity.price: 0.1 USD/kWh }\n"
    "report: [electricity.cost_per_day, fleet.gpus]\n"
    "claims:\n"
    /* 312 / 300 - 1 = +4%: within the default 5% */
    "  - { id: C1, metric: electricity.cost_per_day, stated: 300 USD/day }\n"
    /* 80 GPUs lie in [10, 100] */
    "  - { id: C2, metric: fleet.gpus, kind: range, low: 10 GPU, high: 100 GPU, claim: \"a | "
    "pipe\" }\n"
    "analyses:\n"
    "  - { tornado: electricity.cost_per_day, delta: 10% }\n";

static const char *B = "scenario: B\n"
                       "currency: USD\n"
                       "inputs: { fleet.server: dgx-a100, fleet.servers: 20, "
                       "power.cooling_ratio: 1, electricity.price: 0.1 USD/kWh }\n"
                       "report: [electricity.cost_per_day, fleet.gpus]\n";

/* B priced in CNY (0.1 USD/kWh at the default 7.084 CNY/USD): no money metric in one unit. */
static const char *B_CNY = "scenario: B in yuan\n"
                           "currency: CNY\n"
                           "inputs: { fleet.server: dgx-a100, fleet.servers: 20, "
                           "power.cooling_ratio: 1, electricity.price: 0.1 USD/kWh }\n"
                           "report: [electricity.cost_per_day, fleet.gpus]\n";

static const char *BAD_ANALYSIS = "scenario: bad\n"
                                  "inputs: { fleet.servers: 3 }\n"
                                  "report: [fleet.servers]\n"
                                  "analyses:\n"
                                  "  - { sweeep: fleet.servers }\n";

static lc_scenario *load(const char *name, const char *text)
{
    lc_error err;
    lc_scenario *s;
    lc_error_clear(&err);
    s = lc_scenario_load_text(name, text, strlen(text), NULL, 0, NULL, &err);
    if (s == NULL)
        fail_msg("%s: %s", name, err.msg);
    return s;
}

static char *slurp(const char *dir, const char *file)
{
    char path[512], *data = NULL;
    size_t len;
    lc_error err;
    lc_error_clear(&err);
    snprintf(path, sizeof path, "%s/%s", dir, file);
    if (lc_read_file(path, 64u << 20, &data, &len, &err) != LC_OK)
        return NULL;
    return data;
}

static int exists(const char *dir, const char *file)
{
    char path[512];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, file);
    return stat(path, &st) == 0;
}

#define HAS(text, want)                                                                            \
    do {                                                                                           \
        if (strstr((text), (want)) == NULL)                                                        \
            fail_msg("missing: %s", (want));                                                       \
    } while (0)

static void rm_tree(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void two_scenarios(void **state)
{
    char dir[] = "/tmp/llmcost-report-XXXXXX";
    lc_scenario *s[2];
    lc_error err;
    char *md, *html, *dat;
    (void)state;
    assert_non_null(mkdtemp(dir));
    s[0] = load("a.yaml", A);
    s[1] = load("b.yaml", B);
    lc_error_clear(&err);
    if (lc_report_write(s, 2, dir, &err) != LC_OK)
        fail_msg("report: %s", err.msg);
    md = slurp(dir, "report.md");
    html = slurp(dir, "report.html");
    assert_non_null(md);
    assert_non_null(html);
    /* C1 and C2 hold (see the scenario) */
    HAS(md, "2 scenarios; 2 claims, 2 of which hold.");
    /* Markdown escapes < _ * | with a backslash; HTML uses entities */
    HAS(md, "## A \\<&> \"q\"");
    HAS(md, "cost\\_\\*\\_x");
    HAS(html, "<h2>A &lt;&amp;&gt; &quot;q&quot;</h2>");
    HAS(md, "| electricity.cost\\_per\\_day | 312 | USD/day |");
    HAS(md, "| fleet.gpus | 80 | GPU |");
    HAS(md, "| fleet.gpus | 160 | GPU |");
    HAS(md, "| electricity.cost\\_per\\_day | 624 | USD/day |");
    HAS(md, "| fleet.servers | 10 | a.yaml:");
    HAS(md, "| C1 | electricity.cost\\_per\\_day | 300 USD/day | 312 USD/day | holds (+4%, "
            "tolerance 5%) |");
    HAS(md, "| C2 | a \\| pipe | 10 GPU to 100 GPU | 80 GPU | holds (inside the stated range) |");
    HAS(html, "<td>10 GPU to 100 GPU</td>");
    /* the tornado's table as text: +-10% of 312 USD/day is 280.8 and 343.2 */
    HAS(md, "Tornado: A <&> \"q\"");
    HAS(md, "280.8           343.2");
    HAS(md, "![a-tornado-electricity.cost_per_day.png](a-tornado-electricity.cost_per_day.png)");
    HAS(html, "src=\"data:image/png;base64,");
    /* both compute electricity.cost_per_day in USD/day: one chart of 312 and 624 */
    HAS(md, "## Comparison\n\n![comparison](comparison.png)");
    dat = slurp(dir, "comparison.dat");
    assert_non_null(dat);
    HAS(dat, " 312 624 ");
    free(dat);
    free(md);
    free(html);
    lc_scenario_free(s[0]);
    lc_scenario_free(s[1]);
    rm_tree(dir);
}

static void currencies_differ(void **state)
{
    char dir[] = "/tmp/llmcost-report-XXXXXX";
    lc_scenario *s[2];
    lc_error err;
    char *md;
    (void)state;
    assert_non_null(mkdtemp(dir));
    s[0] = load("b.yaml", B);
    s[1] = load("c.yaml", B_CNY);
    lc_error_clear(&err);
    assert_int_equal(lc_report_write(s, 2, dir, &err), LC_OK);
    md = slurp(dir, "report.md");
    assert_non_null(md);
    HAS(md, "2 scenarios; 0 claims, 0 of which hold.");
    /* 624 USD/day x 7.084 = 4420.416 CNY/day, shown with 6 digits */
    HAS(md, "| electricity.cost\\_per\\_day | 4420.42 | CNY/day |");
    HAS(md, "## Comparison\n\nThe scenarios share no money metric in one unit.");
    assert_false(exists(dir, "comparison.dat"));
    free(md);
    lc_scenario_free(s[0]);
    lc_scenario_free(s[1]);
    rm_tree(dir);
}

static void one_scenario(void **state)
{
    char dir[] = "/tmp/llmcost-report-XXXXXX";
    lc_scenario *s[1];
    lc_error err;
    char *md;
    (void)state;
    assert_non_null(mkdtemp(dir));
    s[0] = load("b.yaml", B);
    lc_error_clear(&err);
    assert_int_equal(lc_report_write(s, 1, dir, &err), LC_OK);
    md = slurp(dir, "report.md");
    assert_non_null(md);
    HAS(md, "1 scenario; 0 claims, 0 of which hold.");
    assert_null(strstr(md, "## Comparison"));
    assert_null(strstr(md, "### Claims"));
    free(md);
    lc_scenario_free(s[0]);
    rm_tree(dir);
}

static void errors_leave_no_report(void **state)
{
    char dir[] = "/tmp/llmcost-report-XXXXXX", sub[600];
    lc_scenario *s[1];
    lc_error err;
    FILE *f;
    (void)state;
    assert_non_null(mkdtemp(dir));
    /* a bad analysis: the error of lc_analysis_parse, and neither file is left */
    s[0] = load("bad.yaml", BAD_ANALYSIS);
    lc_error_clear(&err);
    assert_int_equal(lc_report_write(s, 1, dir, &err), LC_EINPUT);
    assert_string_equal(err.msg, "unknown analysis 'sweeep' (did you mean sweep?)");
    assert_int_equal(err.line, 5);
    assert_int_equal(err.col, 7);
    assert_false(exists(dir, "report.md"));
    assert_false(exists(dir, "report.html"));
    /* a folder that cannot be made (a regular file is in the way): an output error */
    snprintf(sub, sizeof sub, "%s/file", dir);
    f = fopen(sub, "w");
    assert_non_null(f);
    fclose(f);
    snprintf(sub, sizeof sub, "%s/file/report", dir);
    lc_error_clear(&err);
    assert_int_equal(lc_report_write(s, 1, sub, &err), LC_EOUTPUT);
    lc_scenario_free(s[0]);
    rm_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(two_scenarios),
        cmocka_unit_test(currencies_differ),
        cmocka_unit_test(one_scenario),
        cmocka_unit_test(errors_leave_no_report),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
