/* test_jobfile.c - job file limits: over-long lines are reported at their
 * own line, a UTF-8 byte-order mark is accepted, names up to the results
 * file's limit are kept whole and longer ones refused, long keys refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repro/jobfile.h"
#include "repro/model.h"
#include "repro/record.h"
#include "testutil.h"

static const char *const exp_body = "generator = linear\ndata = once\nrepeats = 2\nmodels = RF\n";
static const char *const ds_body = "n = 30\nstrong = 1\nweak = 0\nirrelevant = 2\n";

/* A job file "[experiment ENAME]" + exp_body + extra + "[dataset DNAME]" + ds_body. */
static char *make_file(const char *bom, const char *ename, const char *extra, const char *dname)
{
    size_t len = strlen(bom) + strlen(ename) + strlen(extra) + strlen(dname) + strlen(exp_body) +
                 strlen(ds_body) + 64;
    char *s = malloc(len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    snprintf(s, len, "%s[experiment %s]\n%s%s[dataset %s]\n%s", bom, ename, exp_body, extra, dname, ds_body);
    return s;
}

/* A string of n copies of c (static buffer per call site is enough here). */
static char *repeat(char c, size_t n)
{
    char *s = malloc(n + 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

/* Parses text; returns the return code, with the message in err. */
static int parse(const char *text, repro_jobfile **jf, repro_error *err)
{
    repro_error_clear(err);
    *jf = NULL;
    return repro_jobfile_parse("j.ini", text, repro_models, jf, err);
}

static void expect_error(const char *text, const char *where, const char *what)
{
    repro_jobfile *jf = NULL;
    repro_error err;
    int rc = parse(text, &jf, &err);
    int ok = rc == REPRO_EINVAL && !jf && !strncmp(err.msg, where, strlen(where)) && strstr(err.msg, what);
    if (!ok)
        fprintf(stderr, "got rc=%d '%s', want '%s' ... '%s'\n", rc, err.msg, where, what);
    CU_ASSERT(ok);
    repro_jobfile_free(jf);
}

/* A line of 197 characters is read; 198 and more are "line too long" at
 * their own line, whatever follows, with LF or CRLF endings. */
static void test_long_lines(void)
{
    char *comment = repeat('x', 196); /* ";" + 196 = 197 characters */
    char extra[400];
    snprintf(extra, sizeof extra, ";%s\n", comment);
    char *ok = make_file("", "e", extra, "S");
    repro_jobfile *jf = NULL;
    repro_error err;
    REPRO_ASSERT_OK(parse(ok, &jf, &err), &err);
    repro_jobfile_free(jf);

    snprintf(extra, sizeof extra, ";x%s\n", comment);
    char *bad = make_file("", "e", extra, "S");
    expect_error(bad, "j.ini:6:", "line too long (198 characters; at most 197)");

    /* a long value: formerly the rest became a "syntax error" on line 7 */
    snprintf(extra, sizeof extra, "RF.n_trees = 10 %s\n", comment);
    char *bad2 = make_file("", "e", extra, "S");
    expect_error(bad2, "j.ini:6:", "line too long");

    /* CRLF endings: the "\r" is not counted */
    char crlf[1200];
    snprintf(crlf, sizeof crlf, "[experiment e]\r\n;%s\r\n;x%s\r\n", comment, comment);
    expect_error(crlf, "j.ini:3:", "line too long (198 characters");

    /* a long last line without a newline */
    snprintf(crlf, sizeof crlf, "[experiment e]\n;%s%s", comment, comment);
    expect_error(crlf, "j.ini:2:", "line too long");

    /* an earlier syntax error is still the one reported */
    snprintf(crlf, sizeof crlf, "[experiment e]\nnot ini\n;x%s\n", comment);
    expect_error(crlf, "j.ini:2:", "syntax error");
    free(comment);
    free(ok);
    free(bad);
    free(bad2);
}

/* A UTF-8 byte-order mark before the first section is accepted. */
static void test_bom(void)
{
    char *text = make_file("\xEF\xBB\xBF", "bom", "", "S");
    repro_jobfile *jf = NULL;
    repro_error err;
    REPRO_ASSERT_OK(parse(text, &jf, &err), &err);
    CU_ASSERT_EQUAL_FATAL(jf->n_experiments, 1);
    CU_ASSERT_STRING_EQUAL(jf->exp[0].name, "bom");
    CU_ASSERT_EQUAL(jf->exp[0].n_datasets, 1);
    repro_jobfile_free(jf);
    free(text);
}

/* Names of REPRO_NAME_MAX - 1 = 63 characters are kept whole (two that
 * differ only at the end stay distinct); 64 are refused naming the limit. */
static void test_name_limit(void)
{
    CU_ASSERT_EQUAL(REPRO_NAME_MAX - 1, 63);
    /* the results reader's records hold the same names */
    CU_ASSERT_EQUAL(sizeof ((repro_record *)NULL)->experiment, REPRO_NAME_MAX);
    CU_ASSERT_EQUAL(sizeof ((repro_record *)NULL)->dataset, REPRO_NAME_MAX);
    char *e63 = repeat('e', 63), *d63 = repeat('d', 63);
    char two[1024];
    snprintf(two, sizeof two, "[experiment %s]\n%s[dataset %sA]\n%s[dataset %sB]\n%s", e63, exp_body,
             d63 + 1, ds_body, d63 + 1, ds_body);
    repro_jobfile *jf = NULL;
    repro_error err;
    REPRO_ASSERT_OK(parse(two, &jf, &err), &err);
    CU_ASSERT_STRING_EQUAL(jf->exp[0].name, e63);
    CU_ASSERT_EQUAL_FATAL(jf->exp[0].n_datasets, 2);
    CU_ASSERT_EQUAL(strlen(jf->exp[0].datasets[0].name), 63);
    CU_ASSERT_EQUAL(jf->exp[0].datasets[0].name[62], 'A');
    CU_ASSERT_EQUAL(jf->exp[0].datasets[1].name[62], 'B');
    repro_jobfile_free(jf);

    char *e64 = repeat('e', 64), *d64 = repeat('d', 64);
    char *bad = make_file("", e64, "", "S");
    expect_error(bad, "j.ini:1:", "experiment name 'eeeeeeeeeeeeeeeeeeee...' is 64 characters long; the limit is 63");
    char *bad2 = make_file("", "e", "", d64);
    expect_error(bad2, "j.ini:6:", "data set name 'dddddddddddddddddddd...' is 64 characters long; the limit is 63");
    expect_error("[experiment ]\ngenerator = linear\n", "j.ini:1:", "experiment name missing");
    free(e63);
    free(d63);
    free(e64);
    free(d64);
    free(bad);
    free(bad2);
}

/* Keys longer than inih keeps are refused, not read cut; "[" without "]". */
static void test_long_key_and_header(void)
{
    char extra[200];
    snprintf(extra, sizeof extra, "RF.%s = 3\n", "n_trees_and_then_some_more_words_to_pass_fifty_chars");
    char *bad = make_file("", "e", extra, "S");
    expect_error(bad, "j.ini:6:", "too long (at most 48 characters)");
    free(bad);
    expect_error("[experiment e\ngenerator = linear\n", "j.ini:1:", "syntax error");
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"job file: over-long lines at their own line", test_long_lines},
        {"job file: UTF-8 byte-order mark", test_bom},
        {"job file: name limit 63, the results file's", test_name_limit},
        {"job file: long keys, unclosed header", test_long_key_and_header},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("jobfile", tests);
}
