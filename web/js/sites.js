// sites.js - the French names of the API's vocabularies: the seven sites, the sexes, the
// comparisons, the roles, the measures of the report and of the map, the pathway indicators.

export const SITES = [
  ['pancreas', 'Pancréas'], ['oesophagus', 'Œsophage'], ['liver', 'Foie'], ['lung', 'Poumon'],
  ['cns', 'Système nerveux central'], ['ovary', 'Ovaire'], ['aml', 'Leucémie aiguë myéloïde']];
export const SITE_NAME = Object.fromEntries(SITES);

export const ROLE_NAME = { public: 'public', researcher: 'chercheur', analyst: 'analyste',
                           admin: 'administrateur' };

export const SEX_NAME = { all: 'ensemble', male: 'hommes', female: 'femmes' };

export const SURV_MEASURES = [
  ['net_std_5y', 'Survie nette standardisée à 5 ans'], ['net_std_1y', 'Survie nette standardisée à 1 an'],
  ['observed_5y', 'Survie observée à 5 ans'], ['observed_1y', 'Survie observée à 1 an']];

// indicator -> [French label, kind]: kind "delay" (median and quartiles in days) or "share"
export const INDICATORS = {
  imaging_to_diagnosis: ['Délai imagerie → diagnostic', 'delay'],
  imaging_to_diagnosis_within_target: ['Délai imagerie → diagnostic dans la cible', 'share'],
  diagnosis_to_treatment: ['Délai diagnostic → traitement', 'delay'],
  diagnosis_to_treatment_within_target: ['Délai diagnostic → traitement dans la cible', 'share'],
  diagnosis_to_treatment_cuminc: ['Incidence cumulée du traitement à la cible (depuis le diagnostic)', 'share'],
  imaging_to_treatment: ['Délai imagerie → traitement', 'delay'],
  imaging_to_treatment_within_target: ['Délai imagerie → traitement dans la cible', 'share'],
  imaging_to_treatment_cuminc: ['Incidence cumulée du traitement à la cible (depuis l\'imagerie)', 'share'],
  tumour_board_before_treatment: ['RCP avant le traitement', 'share'],
  rupture: ['Rupture de parcours', 'share'],
  emergency_return_30d: ['Retour aux urgences dans les 30 jours', 'share'],
  emergency_diagnosis: ['Diagnostic aux urgences', 'share'],
  early_palliative: ['Soins palliatifs précoces', 'share'],
  early_palliative_metastatic: ['Soins palliatifs précoces (stade métastatique)', 'share'],
  chemo_last_14d: ['Chimiothérapie dans les 14 derniers jours de vie', 'share'],
  new_regimen_last_30d: ['Nouveau protocole dans les 30 derniers jours', 'share'],
  ed_visits_last_30d: ['Passages aux urgences dans les 30 derniers jours', 'share'],
  admissions_last_30d: ['Hospitalisations dans les 30 derniers jours', 'share'],
  icu_last_30d: ['Réanimation dans les 30 derniers jours', 'share'],
  death_acute_hospital: ['Décès en hôpital de court séjour', 'share'],
  palliative_last_3d: ['Soins palliatifs débutés dans les 3 derniers jours', 'share'],
  no_palliative: ['Aucun soin palliatif', 'share'],
  surgery_in_authorised_centre: ['Chirurgie dans un centre autorisé', 'share'],
};

export function indicatorName(code) { return (INDICATORS[code] || [code])[0]; }
export function indicatorKind(code) {
  return INDICATORS[code] ? INDICATORS[code][1]
    : (/^(imaging_to_diagnosis|diagnosis_to_treatment|imaging_to_treatment)$/.test(code) ? 'delay' : 'share');
}

// "sex=female" -> "femmes", "region=Bretagne" -> "Bretagne", "all" -> "ensemble"
export function groupName(g) {
  if (!g || g === 'all') return 'ensemble';
  const m = /^([a-z]+)=(.*)$/.exec(g);
  if (!m) return g;
  const [, col, v] = m;
  if (v === 'unknown') return `${col} inconnu`;
  if (col === 'sex') return SEX_NAME[v] || v;
  if (col === 'period') return `période ${v}`;
  if (col === 'agegroup') return `${v} ans`;
  if (col === 'departement') return `département ${v}`;
  if (col === 'centre') return `centre ${v}`;
  if (col === 'year') return `année ${v}`;
  return v;
}
