válido: 2 hitos, 7 recordatorios configurados, 7 pendientes; próximo: International Labour Conference, 21 días antes, el 2027-05-17 10:00 CEST (en 16 días)
