configuración: integration/i18n/broken-config.toml
integration/i18n/broken-config.toml:4:12: error: defaults.timezone = "Europe/Pariss": zona horaria «Europe/Pariss» desconocida (no existe el archivo /usr/share/zoneinfo/Europe/Pariss); ¿quiso decir «Europe/Paris»?
integration/i18n/broken-config.toml:5:14: error: defaults.reminders[0] = "3 dayz before": no es un desfase de recordatorio; se acepta: "at start", "at end", o cantidades con unidades (weeks, days, hours, minutes, seconds) seguidas de "before" o "after" y opcionalmente "start" o "end", p. ej., "30 days before", "2 hours before", "1 day after end", "1 week 2 days before start"; o working days, solos o con hours, minutes, seconds: "3 working days before", "1 working day after end"
integration/i18n/broken-config.toml:6:1: error: defaults.priorty: clave desconocida «priorty»; ¿quiso decir «priority»?
integration/i18n/broken-config.toml:9:6: error: milestone[0].id = "Bad Id": identificador no válido; se acepta: de 1 a 100 caracteres entre a-z, 0-9 y "-", sin empezar por "-", p. ej., "bad-id"
integration/i18n/broken-config.toml:11:9: error: milestone[0].start = "2027-02-30": no es una fecha válida: febrero de 2027 tiene 28 días; se acepta: una fecha 2027-06-10, una fecha y hora 2027-06-10T13:00:00 (opcionalmente con Z o un desfase como +02:00), una hora 13:00:00
integration/i18n/broken-config.toml:18:28: error: milestone[1].rrule = "XX": BYDAY: el valor de BYDAY «XX» no es un día de la semana; BYDAY admite MO, TU, WE, TH, FR, SA, SU, cada uno opcionalmente tras un ordinal -53...-1 o 1...53 (1MO, -1FR)
integration/i18n/broken-config.toml:18:37: error: milestone[1].rrule = "0": COUNT: COUNT=0 está fuera de rango; COUNT debe ser al menos 1
integration/i18n/broken-config.toml:19:25: error: milestone[1].snooze[1] = "2 lightyears": no es una duración; se acepta: cantidades con unidades (weeks, days, hours, minutes, seconds), p. ej., "10 minutes" o "1 hour 30 minutes"
integration/i18n/broken-config.toml:23:9: error: milestone[2].title: sintaxis TOML: una cadena que no se cierra en su línea; ciérrela con " antes de que termine la línea (vea https://toml.io/en/v1.0.0)
9 errores; no se cargó la cronología
