configuración: integration/i18n/timeline-language.toml
integration/i18n/timeline-language.toml:8:6: advertencia: milestone[0].id = "ilc-2027": sin traducción en es (falta: title_es, location_es); añádalos al hito, con source_es = la página de la que se tomaron
válido: 1 hito, 4 recordatorios configurados, 4 pendientes; próximo: International Labour Conference, 21 días antes, el 2027-05-17 10:00 CEST (en 16 días) (1 advertencia)
