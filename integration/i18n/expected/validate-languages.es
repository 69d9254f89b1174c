configuración: integration/i18n/timeline-language.toml
integration/i18n/timeline-language.toml:8:6: warning: milestone[0].id = "ilc-2027": no translation in es: title_es, location_es missing; add them to the milestone, with source_es = the page they were taken from
válido: 1 hito, 4 recordatorios configurados, 4 pendientes; próximo: International Labour Conference, 21 días antes, el 2027-05-17 10:00 CEST (en 16 días) (1 advertencia)
