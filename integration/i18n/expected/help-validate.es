OVERVIEW: Comprobar la configuración de la cronología e informar de cada
problema con archivo:línea:columna.

Lee la misma configuración que leería el demonio (véase --config) e informa de
cada error de cada archivo, cada uno como ARCHIVO:LÍNEA:COLUMNA: error: CLAVE =
VALOR: qué está mal; qué se acepta. Las advertencias (una hora local en un
salto o un solapamiento del horario de verano, una regla que nunca ocurre)
también se muestran pero no hacen fallar.

Estado de salida: 0 cuando la configuración es válida (se muestra un resumen de
una línea), 1 en caso contrario. Apto para ExecReload= y para editores.

Ejemplos:
  sse-timeline validate
  sse-timeline validate --config ./my-timeline.toml

USAGE: sse-timeline validate [--config <path>] [--default-timeline] [--now <hora>] [--languages <idiomas>]

OPTIONS:
  --config <path>         El archivo de cronología que usar (sus archivos
                          complementarios se leen de <nombre>.d/ a su lado).
        Sin ella: $CONFIGURATION_DIRECTORY/timeline.toml, luego
        /etc/sse-timeline/timeline.toml, luego la cronología ESS predeterminada
        integrada.
  --default-timeline      Usar la cronología ESS predeterminada integrada, sin
                          archivos de configuración ni complementarios.
  --now <hora>            Hacer como si la hora actual fuera esta (YYYY-MM-DD,
                          YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]); para vistas previas
                          y pruebas.
  --languages <idiomas>   Avisar en cada hito cuyo título, descripción o lugar
                          no tiene texto en uno de estos idiomas.
        Una lista separada por comas de fr, es: cada hito de un archivo TOML
        sin title_fr (ni description_fr, location_fr cuando tiene descripción o
        lugar) se indica con una advertencia en su ARCHIVO:LÍNEA:COLUMNA. Las
        advertencias no hacen fallar.
  --version               Show the version.
  -h, --help              Show help information.
