configuración: integration/i18n/broken-ics/timeline.toml + 3 archivos adicionales de integration/i18n/broken-ics/timeline.d/
integration/i18n/broken-ics/timeline.d/10-lenient.ics:1:1: advertencia: BEGIN:VCALENDAR nunca se cierra (END:VCALENDAR); los componentes se cierran ahí y se leen
integration/i18n/broken-ics/timeline.d/10-lenient.ics:1:1: advertencia: se omite lo que no sirve para un recordatorio: componentes VTODO (1); propiedades ATTENDEE (1); solo los VEVENT, con sus fechas, textos y VALARM, se convierten en hitos
integration/i18n/broken-ics/timeline.d/10-lenient.ics:4:5: advertencia: no es una línea de contenido (NOMBRE:valor o NOMBRE;PARAM=valor:valor): «this is not a content line»; se omite la línea
integration/i18n/broken-ics/timeline.d/10-lenient.ics:5:12: advertencia: X-BAD: un parámetro sin =valor; se omite la línea
integration/i18n/broken-ics/timeline.d/10-lenient.ics:6:9: advertencia: X-QUOTE: comillas sin cerrar en PARAM; se omite la línea
integration/i18n/broken-ics/timeline.d/10-lenient.ics:7:5: advertencia: END:VTODO no cierra el BEGIN:VCALENDAR de la línea 1; se omite la línea
integration/i18n/broken-ics/timeline.d/10-lenient.ics:11:1: advertencia: TZID = "Europe/Pariss": zona horaria desconocida, y el archivo no tiene un VTIMEZONE para ella (se omite el VEVENT de la línea 8); ¿quiso decir «Europe/Paris»?
integration/i18n/broken-ics/timeline.d/10-lenient.ics:17:25: advertencia: DTEND = "20270610T130000": DTEND es anterior a DTSTART (se omite el VEVENT de la línea 13)
integration/i18n/broken-ics/timeline.d/10-lenient.ics:20:5: advertencia: UID = "board@example.org": UID duplicado, el primero en integration/i18n/broken-ics/timeline.d/10-lenient.ics:13; se omite este VEVENT; cada evento necesita su propio UID
integration/i18n/broken-ics/timeline.d/10-lenient.ics:24:1: advertencia: VEVENT: sin UID; el identificador se forma con SUMMARY y DTSTART; RFC 5545 exige un UID
integration/i18n/broken-ics/timeline.d/10-lenient.ics:24:1: advertencia: VEVENT: sin SUMMARY; se titula «(untitled event)»
integration/i18n/broken-ics/timeline.d/10-lenient.ics:26:5: advertencia: URL = "ftp://example.org/agenda": no es una URL http(s); se omite; source admite direcciones http:// o https://
integration/i18n/broken-ics/timeline.d/10-lenient.ics:32:9: advertencia: DTSTART = "2027-06-20": no es una fecha ni una fecha y hora (se omite el VEVENT de la línea 29); se acepta: 20270607 (VALUE=DATE), 20270607T090000 con TZID=..., o 20270607T070000Z
integration/i18n/broken-ics/timeline.d/10-lenient.ics:38:10: advertencia: DURATION = "soon": no es una duración positiva (se omite el VEVENT de la línea 34); p. ej., PT1H, P2D, P1W
integration/i18n/broken-ics/timeline.d/10-lenient.ics:45:7: advertencia: RRULE = "FREQ=YEARLY;BYWEEKNO=24": BYWEEKNO sin BYDAY: se lee como todos los días de esas semanas (como python-dateutil; libical toma solo el día de la semana de DTSTART); añada BYDAY para indicar qué días
integration/i18n/broken-ics/timeline.d/10-lenient.ics:46:7: advertencia: RRULE = "FREQ=MONTHLY": más de una RRULE (obsoleto en RFC 5545); solo se usa la primera
integration/i18n/broken-ics/timeline.d/10-lenient.ics:47:1: advertencia: VALARM: sin TRIGGER (se omite el VALARM de la línea 47); p. ej., TRIGGER:-PT15M
integration/i18n/broken-ics/timeline.d/10-lenient.ics:54:10: advertencia: ATTENDEE = "board@example.org": no es una dirección mailto:; no se le escribe; p. ej., mailto:board@example.org
integration/i18n/broken-ics/timeline.d/10-lenient.ics:55:10: advertencia: ATTENDEE = "mailto:not an address": no es una dirección de correo; no se le escribe; p. ej., mailto:board@example.org
integration/i18n/broken-ics/timeline.d/10-lenient.ics:56:10: advertencia: ATTENDEE = "mailto:chair@example.org": esta dirección no está en mail_allow; la alarma no le escribe; permítala en [defaults] mail_allow = ["chair@example.org"] (o "*@dominio") si este equipo puede escribirle
integration/i18n/broken-ics/timeline.d/10-lenient.ics:57:14: advertencia: ACKNOWLEDGED = "20270101T090000": no es una fecha y hora UTC; se ignora; p. ej., 20270501T090000Z
integration/i18n/broken-ics/timeline.d/10-lenient.ics:61:9: advertencia: TRIGGER = "later": no es una duración (se omite el VALARM de la línea 59); p. ej. -PT15M, -P1D, PT0S, o VALUE=DATE-TIME:20270501T090000Z
integration/i18n/broken-ics/timeline.d/10-lenient.ics:66:53: advertencia: RECURRENCE-ID = "20270615T090000": RANGE=THISANDFUTURE no es compatible; solo se cambia esta repetición
integration/i18n/broken-ics/timeline.d/10-lenient.ics:74:25: advertencia: RDATE = "20270701T090000,tomorrow": no es una fecha ni una fecha y hora: «tomorrow» (se omite el VEVENT de la línea 70); p. ej., 20270607 o 20270607T090000
integration/i18n/broken-ics/timeline.d/10-lenient.ics:80:1: advertencia: BEGIN:VEVENT nunca se cierra (END:VEVENT); los componentes se cierran ahí y se leen
integration/i18n/broken-ics/timeline.d/20-not-a-calendar.ics:1:1: error: sin BEGIN:VCALENDAR: no es un archivo iCalendar; consulte RFC 5545
integration/i18n/broken-ics/timeline.d/20-not-a-calendar.ics:1:5: advertencia: no es una línea de contenido (NOMBRE:valor o NOMBRE;PARAM=valor:valor): «This is a note, not a calendar.»; se omite la línea
integration/i18n/broken-ics/timeline.d/30-latin1.ics:1:1: error: UTF-8 no válido (byte n.º 25); guarde el archivo como UTF-8
2 errores; no se cargó la cronología
