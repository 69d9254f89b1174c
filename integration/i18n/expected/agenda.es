Hoy, sábado 2027-06-05
  + 08:00      International Labour Conference: 2 días antes  [10:00 CEST Europe/Zurich]
Mañana, domingo 2027-06-06
  + 08:00      International Labour Conference: 1 día antes  [10:00 CEST Europe/Zurich]
lunes 2027-06-07
  + 07:00      International Labour Conference: 1 hora antes  [09:00 CEST Europe/Zurich]
  * 08:00      International Labour Conference (Geneva)  [10:00 CEST Europe/Zurich]
  + 08:00      International Labour Conference: al inicio  [10:00 CEST Europe/Zurich]
