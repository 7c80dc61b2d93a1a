/* test_jobfile_toy.c - job files over the test models (tests/toymodels.h):
 * a good file read whole, and bad inputs named by file:line. */
#include <string.h>

#include "repro/jobfile.h"
#include "testutil.h"
#include "toymodels.h"

static void test_jobfile_good(void)
{
    repro_jobfile *jf = parse_ok("good.ini", good_file);
    CU_ASSERT_EQUAL_FATAL(jf->n_experiments, 2);
    const repro_experiment *e = &jf->exp[0];
    CU_ASSERT_STRING_EQUAL(e->name, "lin");
    CU_ASSERT_EQUAL(e->line, 2);
    CU_ASSERT_EQUAL(e->generator, REPRO_GEN_LINEAR);
    CU_ASSERT_EQUAL(e->data, REPRO_DATA_PER_REPEAT);
    CU_ASSERT_EQUAL(e->repeats, 3);
    CU_ASSERT_EQUAL_FATAL(e->n_models, 2);
    CU_ASSERT_EQUAL(e->models[0].type, &model_corr);
    CU_ASSERT_EQUAL(repro_params_get(&e->models[0], "perms"), 7);
    CU_ASSERT_EQUAL(repro_params_get(&e->models[1], "perms"), 20); /* override is per model */
    CU_ASSERT_EQUAL_FATAL(e->n_datasets, 2);
    CU_ASSERT_STRING_EQUAL(e->datasets[1].name, "B");
    CU_ASSERT_EQUAL(e->datasets[1].line, 14);
    CU_ASSERT_EQUAL(e->datasets[0].spec.noise, 0.0);
    CU_ASSERT_EQUAL(e->datasets[1].spec.noise, 0.5);
    const repro_experiment *x = &jf->exp[1];
    CU_ASSERT_EQUAL(x->data, REPRO_DATA_ONCE);
    CU_ASSERT_EQUAL(x->datasets[0].spec.kind, REPRO_GEN_NONLINEAR);
    CU_ASSERT_EQUAL(x->datasets[0].spec.irrelevant, 4); /* features - strong - weak */
    CU_ASSERT_EQUAL(x->datasets[0].spec.noise, 0.1);    /* the non-linear default */
    repro_jobfile_free(jf);
}

/* Each bad input: the expected "file:line:" prefix and a word of the message. */
static void test_jobfile_bad(void)
{
    static const char *head = "[experiment e]\ngenerator = linear\ndata = once\nrepeats = 2\nmodels = Corr\n";
    static const char *ds = "[dataset S]\nn = 30\nstrong = 1\nweak = 0\nirrelevant = 2\n";
    static const struct { const char *text; const char *where; const char *what; } cases[] = {
        {"[experiment e]\ngenerator = linear\ndata = once\nrepeats = 2\nmodels = Corr\nbogus = 1\n", "bad.ini:6:",
         "unknown key 'bogus'"},
        {"[experiment e]\ngenerator = linear\ndata = once\nrepeats = two\nmodels = Corr\n", "bad.ini:4:",
         "bad number 'two'"},
        {"[experiment e]\ngenerator = linear\ndata = once\nrepeats = 2\nmodels = Corr, Nope\n", "bad.ini:5:",
         "unknown model 'Nope'"},
        {"[experiment e]\ngenerator = linear\ndata = once\nrepeats = 2\nmodels = Corr\nCorr.nope = 3\n",
         "bad.ini:6:", "unknown parameter 'nope'"},
        {"[experiment e]\ngenerator = linear\ndata = once\nrepeats = 2\nmodels = Corr\nCorr.perms = -4\n",
         "bad.ini:6:", "perms"},
        {"[experiment e]\ngenerator = linear\ndata = once\nrepeats = 2\nmodels = Corr\nFail.perms = 4\n",
         "bad.ini:6:", "not in this experiment"},
        {"[experiment e]\ngenerator = linear\ndata = once\nmodels = Corr\n[dataset S]\nn=3\n", "bad.ini:1:",
         "missing the key 'repeats'"},
        {"[experiment e]\ngenerator = cubic\n", "bad.ini:2:", "generator 'cubic'"},
        {"[experimnt e]\ngenerator = linear\n", "bad.ini:1:", "unknown section"},
        {"n = 3\n", "bad.ini:1:", "outside any section"},
        {"[experiment e]\ngenerator = linear\ndata = once\nrepeats = 2\nmodels = Corr\n\n"
         "[dataset S]\nn = 30\nstrong = 1\nweak = 0\nirrelevant = 2\n[dataset S]\nn = 30\n",
         "bad.ini:12:", "duplicate data set 'S'"},
        {"[experiment e]\ngenerator = linear\ndata = once\nrepeats = 2\nmodels = Corr\n"
         "[dataset S]\nn = 30\nstrong = 1\nirrelevant = 2\n",
         "bad.ini:6:", "missing the key 'weak'"},
        {"[experiment e]\ngenerator = linear\ndata = once\nrepeats = 2\nmodels = Corr\n"
         "[dataset S]\nn = 30\nstrong = 1\nweak = 0\nirrelevant = 2\nn = 31\n",
         "bad.ini:11:", "given twice"},
        {"[experiment e]\ngenerator = linear\ndata = once\nrepeats = 2\nmodels = Corr\n"
         "[dataset S]\nn = 1\nstrong = 1\nweak = 0\nirrelevant = 2\n",
         "bad.ini:6:", "n=1"},
        {"[experiment e]\ngenerator = linear\ndata = once\nrepeats = 2\nmodels = Corr\n", "bad.ini:1:",
         "no [dataset"},
        {"[experiment e]\ngenerator = linear\ndata = once\nrepeats = 2\nmodels = Corr\n[dataset S]\n"
         "n = 30\nstrong = 1\nweak = 0\nirrelevant = 2\n[dataset T]\n",
         "bad.ini:11:", "has no keys"},
        {"[experiment e]\ngenerator = linear\ndata = once\nrepeats = 2\nmodels = Corr\nthis is not ini\n",
         "bad.ini:6:", "syntax error"},
        {"[dataset S]\nn = 30\n", "bad.ini:1:", "before any [experiment"},
    };
    (void)head;
    (void)ds;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        static repro_jobfile sentinel; /* a failed parse must set *out to NULL */
        repro_jobfile *jf = &sentinel;
        repro_error err;
        repro_error_clear(&err);
        int rc = repro_jobfile_parse("bad.ini", cases[i].text, toy_models, &jf, &err);
        int ok = rc == REPRO_EINVAL && jf == NULL && !strncmp(err.msg, cases[i].where, strlen(cases[i].where)) &&
                 strstr(err.msg, cases[i].what) != NULL;
        if (!ok)
            fprintf(stderr, "case %zu: rc=%d msg='%s' (want '%s' ... '%s')\n", i, rc, err.msg, cases[i].where,
                    cases[i].what);
        CU_ASSERT(ok);
        repro_jobfile_free(jf);
    }
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"job file: a good file", test_jobfile_good},
        {"job file: bad inputs name file:line", test_jobfile_bad},
        CU_TEST_INFO_NULL,
    };
    return repro_test_run("jobfile", tests);
}
