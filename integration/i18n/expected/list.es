2027-05-17T10:00:00+02:00  ilc-2027  2027-06-07T10:00:00+02:00  21 días antes  International Labour Conference
2027-06-05T10:00:00+02:00  ilc-2027  2027-06-07T10:00:00+02:00  2 días antes  International Labour Conference
2027-06-06T10:00:00+02:00  ilc-2027  2027-06-07T10:00:00+02:00  1 día antes  International Labour Conference
2027-06-07T09:00:00+02:00  ilc-2027  2027-06-07T10:00:00+02:00  1 hora antes  International Labour Conference
2027-06-07T10:00:00+02:00  ilc-2027  2027-06-07T10:00:00+02:00  (ocurrencia)  International Labour Conference
2027-06-07T10:00:00+02:00  ilc-2027  2027-06-07T10:00:00+02:00  al inicio  International Labour Conference
2027-06-18T20:00:00+02:00  ilc-2027  2027-06-07T10:00:00+02:00  2 horas después del final  International Labour Conference
2027-07-02T09:00:00+02:00  coop-day-2027  2027-07-03  1 día hábil antes  International Day of Cooperatives
2027-07-03T00:00:00+02:00  coop-day-2027  2027-07-03  (ocurrencia)  International Day of Cooperatives
