      junio 2027
Sm lu ma mi ju vi sá do
22     1  2  3  4  5+ 6+
23  7* 8  9 10 11 12 13
24 14 15 16 17 18+19 20
25 21 22 23 24 25 26 27
26 28 29 30

sá 2027-06-05  + 08:00      International Labour Conference: 2 días antes  [10:00 CEST Europe/Zurich]
do 2027-06-06  + 08:00      International Labour Conference: 1 día antes  [10:00 CEST Europe/Zurich]
lu 2027-06-07  + 07:00      International Labour Conference: 1 hora antes  [09:00 CEST Europe/Zurich]
               * 08:00      International Labour Conference (Geneva)  [10:00 CEST Europe/Zurich]
               + 08:00      International Labour Conference: al inicio  [10:00 CEST Europe/Zurich]
vi 2027-06-18  + 18:00      International Labour Conference: 2 horas después del final  [20:00 CEST Europe/Zurich]
