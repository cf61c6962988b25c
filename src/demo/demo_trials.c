/* demo_trials.c - the synthetic bundle's trial catalogue (docs/interfaces.md 3): an AcSé-like set of
 * basket trials giving targeted drugs by molecular alteration. Ids and dates of the four AcSé
 * trials are those of their public registrations as far as we know them (docs/methods.md,
 * "Synthetic data"); the two trials in preparation are illustrative. */
#include "demo_internal.h"

static const char catalogue[] =
    "{\"trials\": [\n"
    " {\"id\": \"NCT02034981\", \"name\": \"AcSé crizotinib\", \"status\": \"closed\",\n"
    "  \"sponsor\": \"UNICANCER\", \"opened\": \"2013-08-01\", \"closed\": \"2018-03-31\",\n"
    "  \"arms\": [\n"
    "   {\"id\": \"lung-ALK\", \"drug\": \"crizotinib\", \"target_inclusions\": 25,\n"
    "    \"criteria\": {\"and\": [{\"site\": [\"lung\"]},\n"
    "      {\"alteration\": {\"gene\": \"ALK\", \"kind\": \"fusion\"}},\n"
    "      {\"prior_lines_min\": 1, \"progression_required\": true}, {\"age_min\": 18}]}},\n"
    "   {\"id\": \"lung-ROS1\", \"drug\": \"crizotinib\", \"target_inclusions\": 25,\n"
    "    \"criteria\": {\"and\": [{\"site\": [\"lung\"]},\n"
    "      {\"alteration\": {\"gene\": \"ROS1\", \"kind\": \"fusion\"}},\n"
    "      {\"prior_lines_min\": 1, \"progression_required\": true}, {\"age_min\": 18}]}},\n"
    "   {\"id\": \"lung-MET\", \"drug\": \"crizotinib\", \"target_inclusions\": 25,\n"
    "    \"criteria\": {\"and\": [{\"site\": [\"lung\"]},\n"
    "      {\"alteration\": {\"gene\": \"MET\", \"kind\": \"amplification\"}},\n"
    "      {\"prior_lines_min\": 1, \"progression_required\": true}, {\"age_min\": 18}]}},\n"
    "   {\"id\": \"other-MET\", \"drug\": \"crizotinib\", \"target_inclusions\": 25,\n"
    "    \"criteria\": {\"and\": [{\"not\": {\"site\": [\"lung\"]}},\n"
    "      {\"alteration\": {\"gene\": \"MET\", \"kind\": \"amplification\"}},\n"
    "      {\"prior_lines_min\": 1, \"progression_required\": true}, {\"age_min\": 18}]}}]},\n"
    " {\"id\": \"NCT02304809\", \"name\": \"AcSé vemurafenib\", \"status\": \"closed\",\n"
    "  \"sponsor\": \"UNICANCER\", \"opened\": \"2014-10-01\", \"closed\": \"2019-06-30\",\n"
    "  \"arms\": [\n"
    "   {\"id\": \"lung-BRAF\", \"drug\": \"vemurafenib\", \"target_inclusions\": 50,\n"
    "    \"criteria\": {\"and\": [{\"site\": [\"lung\"]},\n"
    "      {\"alteration\": {\"gene\": \"BRAF\", \"alteration\": \"V600E\"}},\n"
    "      {\"prior_lines_min\": 1, \"progression_required\": true}, {\"age_min\": 18}]}},\n"
    "   {\"id\": \"other-BRAF\", \"drug\": \"vemurafenib\", \"target_inclusions\": 50,\n"
    "    \"criteria\": {\"and\": [{\"not\": {\"site\": [\"lung\"]}},\n"
    "      {\"alteration\": {\"gene\": \"BRAF\", \"alteration\": \"V600E\"}},\n"
    "      {\"prior_lines_min\": 1, \"progression_required\": true}, {\"age_min\": 18}]}}]},\n"
    " {\"id\": \"NCT02813135\", \"name\": \"AcSé-ESMART\", \"status\": \"open\",\n"
    "  \"sponsor\": \"Gustave Roussy\", \"opened\": \"2016-07-01\", \"closed\": null,\n"
    "  \"arms\": [\n"
    "   {\"id\": \"paediatric-MAPK\", \"drug\": \"trametinib\", \"target_inclusions\": 20,\n"
    "    \"criteria\": {\"and\": [{\"site\": [\"cns\", \"aml\"]},\n"
    "      {\"or\": [{\"alteration\": {\"gene\": \"BRAF\", \"alteration\": \"V600E\"}},\n"
    "               {\"alteration\": {\"gene\": \"KRAS\"}}]},\n"
    "      {\"prior_lines_min\": 1, \"progression_required\": true}, {\"age_max\": 25}]}}]},\n"
    " {\"id\": \"NCT03012620\", \"name\": \"AcSé pembrolizumab\", \"status\": \"closed\",\n"
    "  \"sponsor\": \"UNICANCER\", \"opened\": \"2017-06-01\", \"closed\": \"2022-12-31\",\n"
    "  \"arms\": [\n"
    "   {\"id\": \"msi-high\", \"drug\": \"pembrolizumab\", \"target_inclusions\": 30,\n"
    "    \"criteria\": {\"and\": [{\"alteration\": {\"gene\": \"MLH1\", \"kind\": \"msi-high\"}},\n"
    "      {\"prior_lines_min\": 1}, {\"age_min\": 18}]}}]},\n"
    " {\"id\": \"ACSE-KRAS-G12C\", \"name\": \"AcSé KRAS G12C (in preparation)\",\n"
    "  \"status\": \"preparing\", \"sponsor\": \"UNICANCER\", \"opened\": null, \"closed\": null,\n"
    "  \"arms\": [\n"
    "   {\"id\": \"pancreas-G12C\", \"drug\": \"sotorasib\", \"target_inclusions\": 20,\n"
    "    \"criteria\": {\"and\": [{\"site\": [\"pancreas\"]},\n"
    "      {\"alteration\": {\"gene\": \"KRAS\", \"alteration\": \"G12C\"}},\n"
    "      {\"prior_lines_min\": 1, \"progression_required\": true}, {\"age_min\": 18}]}}]},\n"
    " {\"id\": \"ACSE-IDH\", \"name\": \"AcSé IDH inhibitors (in preparation)\",\n"
    "  \"status\": \"preparing\", \"sponsor\": \"UNICANCER\", \"opened\": null, \"closed\": null,\n"
    "  \"arms\": [\n"
    "   {\"id\": \"cns-IDH1\", \"drug\": \"vorasidenib\", \"target_inclusions\": 30,\n"
    "    \"criteria\": {\"and\": [{\"site\": [\"cns\"]},\n"
    "      {\"or\": [{\"alteration\": {\"gene\": \"IDH1\"}}, {\"alteration\": {\"gene\": \"IDH2\"}}]},\n"
    "      {\"prior_lines_min\": 1}, {\"age_min\": 12}]}},\n"
    "   {\"id\": \"aml-IDH\", \"drug\": \"ivosidenib\", \"target_inclusions\": 30,\n"
    "    \"criteria\": {\"and\": [{\"site\": [\"aml\"]},\n"
    "      {\"or\": [{\"alteration\": {\"gene\": \"IDH1\"}}, {\"alteration\": {\"gene\": \"IDH2\"}}]},\n"
    "      {\"prior_lines_min\": 1, \"progression_required\": true}, {\"age_min\": 18}]}}]}\n"
    "]}\n";

const char *pn__demo_trials_json(void)
{
    return catalogue;
}

int pn__demo_ntrials(void)
{
    return 6;
}
