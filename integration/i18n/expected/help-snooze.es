OVERVIEW: Aplazar un recordatorio: el demonio en ejecución lo vuelve a escribir
después de DURACIÓN.

CLAVE es la clave de un recordatorio, tal como la muestran `sse-timeline
pending` y el campo REMINDER_KEY del diario. DURACIÓN se escribe como en la
configuración: "10 minutes", "1 hour 30 minutes", "2 days" (1 segundo a 366
días). El aplazamiento se guarda en el estado del demonio, así que el
recordatorio vuelve también tras un reinicio. Un recordatorio que aún no ha
vencido se retiene hasta entonces.

Ejemplos:
  sse-timeline snooze 'exam|2027-06-03T09:00:00|1 day before' '10 minutes'
  sse-timeline --user snooze "$(sse-timeline --user pending --json | jq -r
'.[0].key')" '1 hour'

USAGE: sse-timeline snooze [--user] <clave> <duración>

ARGUMENTS:
  <clave>                 La clave del recordatorio.
  <duración>              Por cuánto tiempo, por ejemplo "10 minutes".

OPTIONS:
  --user                  Su propia instancia, en su bus de sesión (como
                          systemctl --user), no la del sistema.
  --version               Show the version.
  -h, --help              Show help information.
