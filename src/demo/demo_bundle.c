/* demo_bundle.c - pn_demo_write: the synthetic bundle's files, opened, streamed and closed;
 * the deliberately bad rows of --with-errors. */
#include "demo_internal.h"

#include "pronostic/alloc.h"
#include "pronostic/datadir.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define BUFSIZE (1 << 20)

typedef struct out_file {
    const char *name;
    const char *header;
    FILE *f;
    char *buf;
} out_file;

enum { F_PATIENTS, F_TUMOURS, F_EVENTS, F_ALTERATIONS, F_LINES, F_CENTRES, F_TERRITORIES,
       F_TRIALS, NFILES };

static int open_file(out_file *o, const char *dir, pn_diag *diag)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s", dir, o->name) >= (int)sizeof path)
        return pn_diag_set(diag, PN_EINVAL, "%s: path too long", dir);
    o->f = fopen(path, "w");
    if (o->f == NULL)
        return pn_diag_set(diag, PN_EIO, "%s: cannot write: %s", path, strerror(errno));
    o->buf = pn_malloc(BUFSIZE);
    if (o->buf) setvbuf(o->f, o->buf, _IOFBF, BUFSIZE);
    if (o->header) fputs(o->header, o->f);
    return PN_OK;
}

static int close_file(out_file *o, const char *dir, pn_diag *diag)
{
    int rc = PN_OK;
    if (o->f == NULL) return PN_OK;
    if (ferror(o->f) | (fclose(o->f) != 0))
        rc = pn_diag_set(diag, PN_EIO, "%s/%s: write failed", dir, o->name);
    o->f = NULL;
    pn_free(o->buf);
    o->buf = NULL;
    return rc;
}

/* Report one injected bad row (through the caller's note) and count it. */
static void bad(pn__demo_run *run, const char *file, unsigned long long line, const char *field,
                const char *why)
{
    run->counts.injected_errors++;
    if (run->opt->note) run->opt->note(run->opt->note_ctx, file, line, field, why);
}

/* A few rows that break the rules of docs/interfaces.md 2, each of a different kind, appended after
 * the good rows so that the good rows stay the same as without --with-errors. Line numbers: the
 * header is line 1, so row k (from 1) is line k + 1. */
static void inject_errors(pn__demo_run *run, const char *centre)
{
    pn__demo_files *f = &run->files;
    pn_demo_counts *c = &run->counts;
    char first[16], ghost[16], id[4][16];
    uint64_t n = run->opt->patients;
    pn__demo_patient_id(run->opt->seed, 0, first);
    pn__demo_patient_id(run->opt->seed, n + 1000, ghost);   /* never written */
    for (int k = 0; k < 4; k++) pn__demo_patient_id(run->opt->seed, n + (uint64_t)k, id[k]);

    /* 1. impossible date */
    fprintf(f->patients, "%s,F,1950-02-30,75,alive,2024-12-31,,\n", id[0]);
    bad(run, "patients.csv", ++c->patients + 1, "birth_date", "1950-02-30 is not a date");
    fprintf(f->tumours, "%s-T1,%s,2015-03-02,C25.0,C25.0,8500/3,TNM8,IV,%s\n", id[0], id[0], centre);
    bad(run, "tumours.csv", ++c->tumours + 1, "patient_id", "refers to a quarantined patient");
    /* 2. missing required field */
    fprintf(f->patients, "%s,,1948-06-11,13,alive,2024-12-31,,\n", id[1]);
    bad(run, "patients.csv", ++c->patients + 1, "sex", "missing");
    /* 3. diagnosis before birth */
    fprintf(f->patients, "%s,M,1980-04-02,59,alive,2024-12-31,,\n", id[2]);
    c->patients++;
    fprintf(f->tumours, "%s-T1,%s,1975-01-20,C34.1,C34.1,8140/3,TNM8,III,%s\n", id[2], id[2], centre);
    bad(run, "tumours.csv", ++c->tumours + 1, "diagnosis_date", "diagnosis before birth");
    /* 4. death before diagnosis */
    fprintf(f->patients, "%s,F,1944-09-30,33,dead,2011-01-10,C56,home\n", id[3]);
    c->patients++;
    fprintf(f->tumours, "%s-T1,%s,2012-05-01,C56,C56.9,8461/3,FIGO,III,%s\n", id[3], id[3], centre);
    bad(run, "tumours.csv", ++c->tumours + 1, "diagnosis_date", "death before diagnosis");
    /* 5. unparseable code */
    fprintf(f->tumours, "%s-T2,%s,2016-02-03,C2X.9,C25.0,8500/3,TNM8,II,%s\n", id[2], id[2], centre);
    bad(run, "tumours.csv", ++c->tumours + 1, "icd10", "C2X.9 is not an ICD-10 code");
    /* 6. unknown patient */
    fprintf(f->events, "%s,2018-07-04,imaging,,%s,CT,diagnostic,,\n", ghost, centre);
    bad(run, "events.csv", ++c->events + 1, "patient_id", "unknown patient");
    /* 7. date in the future, 8. duplicate id with different content (needs a first patient) */
    if (n > 0) {
        fprintf(f->events, "%s,2099-01-01,emergency_visit,,%s,,,,\n", first, centre);
        bad(run, "events.csv", ++c->events + 1, "date", "2099-01-01 is in the future");
        fprintf(f->patients, "%s,M,1901-01-01,75,alive,2024-12-31,,\n", first);
        bad(run, "patients.csv", ++c->patients + 1, "patient_id",
            "duplicate id with different content");
        /* 10. a stay that ends before it starts, 11. an unknown care setting (format 2) */
        fprintf(f->events, "%s,2024-12-01,hospital_admission,,%s,,,2024-11-28,acute_hospital\n",
                first, centre);
        bad(run, "events.csv", ++c->events + 1, "end_date", "end_date before date");
        fprintf(f->events, "%s,2024-12-02,palliative_care,,%s,,,2024-12-09,hospital\n", first,
                centre);
        bad(run, "events.csv", ++c->events + 1, "setting", "hospital is not a care setting");
    }
    /* 9. unparseable date in a treatment line */
    fprintf(f->lines, "%s,1,2015-13-01,,FOLFIRINOX,\n", id[2]);
    bad(run, "lines.csv", ++c->lines + 1, "start_date", "2015-13-01 is not a date");
}

int pn_demo_write(const pn_demo_options *opt, pn_demo_counts *counts, pn_diag *diag)
{
    out_file files[NFILES] = {
        {"patients.csv", "patient_id,sex,birth_date,residence,vital_status,vital_status_date,"
                         "death_cause,death_place\n", NULL, NULL},
        {"tumours.csv", "tumour_id,patient_id,diagnosis_date,icd10,topography,morphology,"
                        "stage_system,stage,centre_id\n", NULL, NULL},
        {"events.csv", "patient_id,date,type,tumour_id,centre_id,code,detail,end_date,setting\n",
         NULL, NULL},
        {"alterations.csv", "patient_id,gene,alteration,tumour_id,partner_gene,platform_id,date\n",
         NULL, NULL},
        {"lines.csv", "patient_id,line,start_date,end_date,regimen,end_reason\n", NULL, NULL},
        {"centres.csv", NULL, NULL, NULL},
        {"territories.csv", NULL, NULL, NULL},
        {"trials.json", NULL, NULL, NULL},
    };
    pn__demo_geo *geo = NULL;
    pn__demo_run *run = NULL;
    int rc = PN_OK;
    if (opt == NULL || opt->out_dir == NULL || opt->ratetable == NULL)
        return pn_diag_set(diag, PN_EINVAL, "demo: output directory and life table required");
    if (opt->patients > PN_DEMO_MAX_PATIENTS)
        return pn_diag_set(diag, PN_EINVAL, "demo: at most %llu patients",
                           (unsigned long long)PN_DEMO_MAX_PATIENTS);
    if (mkdir(opt->out_dir, 0777) != 0 && errno != EEXIST)
        return pn_diag_set(diag, PN_EIO, "%s: cannot create: %s", opt->out_dir, strerror(errno));

    geo = pn_calloc(1, sizeof *geo);
    run = pn_calloc(1, sizeof *run);
    if (geo == NULL || run == NULL) {
        rc = pn_diag_set(diag, PN_ENOMEM, "demo: out of memory");
        goto done;
    }
    char path[4096];
    /* The data directory as for the life tables: the option, $PRONOSTIC_DATA_DIR, data/. */
    if ((rc = pn_data_path(path, sizeof path, opt->data_dir, "departements.csv", diag)) != PN_OK ||
        (rc = pn__demo_geo_load(geo, path, opt->seed, diag)) != PN_OK)
        goto done;
    run->opt = opt;
    run->geo = geo;
    if ((rc = pn_demo_model_calibrate(&run->model)) != PN_OK) {
        pn_diag_set(diag, rc, "demo: the excess-hazard model did not calibrate");
        goto done;
    }
    pn__demo_run_init(run);

    for (int k = 0; k < NFILES; k++)
        if ((rc = open_file(&files[k], opt->out_dir, diag)) != PN_OK) goto done;
    run->files.patients = files[F_PATIENTS].f;
    run->files.tumours = files[F_TUMOURS].f;
    run->files.events = files[F_EVENTS].f;
    run->files.alterations = files[F_ALTERATIONS].f;
    run->files.lines = files[F_LINES].f;

    for (uint64_t i = 0; i < opt->patients; i++) {
        if ((rc = pn__demo_patient(run, i)) != PN_OK) goto done;
        if ((i & 0xffff) == 0 && ferror(run->files.events)) {
            rc = pn_diag_set(diag, PN_EIO, "%s/events.csv: write failed", opt->out_dir);
            goto done;
        }
    }
    if (opt->with_errors) inject_errors(run, geo->centres[0].id);
    if ((rc = pn__demo_write_centres(geo, files[F_CENTRES].f, &run->counts.centres)) != PN_OK ||
        (rc = pn__demo_write_territories(geo, opt->seed, files[F_TERRITORIES].f,
                                         &run->counts.territories)) != PN_OK)
        goto done;
    fputs(pn__demo_trials_json(), files[F_TRIALS].f);
    run->counts.trials = (unsigned long long)pn__demo_ntrials();

done:
    for (int k = 0; k < NFILES; k++) {
        int crc = close_file(&files[k], opt->out_dir, rc == PN_OK ? diag : NULL);
        if (rc == PN_OK) rc = crc;
    }
    if (counts && run) *counts = run->counts;
    pn_free(run);
    pn_free(geo);
    return rc;
}
