OVERVIEW: Una cronología de hitos fechados que escribe recordatorios en el
diario de systemd.

La cronología predeterminada es la de la economía social y solidaria (ESS): las
academias de ESS de la OIT, el grupo de trabajo de las Naciones Unidas, la
discusión de la Conferencia Internacional del Trabajo de 2022, las conferencias
de la OCDE y los días internacionales del sector. Programe los suyos en
/etc/sse-timeline/timeline.toml y timeline.d/*.toml (véase
docs/configuration.md); lea lo que dijo con journalctl -u sse-timeline.

Búsqueda de la configuración: --config RUTA, luego $CONFIGURATION_DIRECTORY,
luego /etc/sse-timeline (el primero que contenga un timeline.toml o un
timeline.d/; sin timeline.toml la cronología predeterminada integrada es el
archivo principal), luego la cronología predeterminada integrada. Cada comando
dice cuál usó.

USAGE: sse-timeline <subcommand>

OPTIONS:
  --version               Show the version.
  -h, --help              Show help information.

SUBCOMMANDS:
  run                     Ejecutar el demonio: esperar a que venza cada
                          recordatorio y escribirlo en el diario.
  validate                Comprobar la configuración de la cronología e
                          informar de cada problema con archivo:línea:columna.
  list                    Listar las ocurrencias de los hitos y los
                          recordatorios de una ventana, por orden de
                          vencimiento.
  next (default)          Mostrar los próximos recordatorios que vencen después
                          de ahora.
  export                  Mostrar toda la cronología como JSON o como un
                          archivo iCalendar (.ics).
  fetch                   Descargar las fuentes de calendario (url = ...) de la
                          cronología en el directorio de estado.
  import                  Mostrar las tablas [[milestone]] equivalentes a un
                          archivo iCalendar (.ics).
  replay                  Mostrar cada notificación que el demonio enviaría en
                          una ventana, tan rápido como pueda.
  pending                 Mostrar los recordatorios que el demonio en ejecución
                          escribirá a continuación, incluidos los aplazados, y
                          los envíos a canales con nombre en espera de
                          reintento.
  snooze                  Aplazar un recordatorio: el demonio en ejecución lo
                          vuelve a escribir después de DURACIÓN.
  dismiss                 Descartar un recordatorio: su aplazamiento termina;
                          si aún no ha vencido, no se enviará.
  calendar                Mostrar meses como un calendario con las ocurrencias
                          y los recordatorios de la cronología marcados.
  agenda                  Mostrar las ocurrencias y los recordatorios de los
                          próximos días, agrupados por día.
  history                 Mostrar, desde el diario, los recordatorios que el
                          demonio envió, aplazó, descartó y sobre los que actuó.
  status                  Mostrar el estado del demonio en ejecución y, de cada
                          calendario, sus elementos, su última lectura y su
                          último error.
  deliver                 Enviar un recordatorio a un canal de correo o de
                          Apprise (lo ejecuta sse-timeline-deliver@.service).
  test-channel            Enviar un mensaje de prueba a un canal de correo o de
                          Apprise y decir exactamente qué falló.

  See 'sse-timeline help <subcommand>' for detailed help.
