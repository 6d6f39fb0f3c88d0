#!/usr/bin/env python3
"""Build ontology/actors.tsv, the built-in actor gazetteer.

Build-time only: needs `pycountry` (ISO 3166-1 names and codes); the runtime loader
(kg/gazetteer.py) reads the generated TSV with the standard library alone.

    .venv/bin/pip install pycountry
    .venv/bin/python scripts/build_gazetteer.py            # writes ontology/actors.tsv
    .venv/bin/python scripts/build_gazetteer.py --check    # exit 1 if the file is stale

States: the 193 UN members plus Palestine, Taiwan, Kosovo, the Vatican and Western
Sahara. Canonical names come from pycountry (its common name, else its name) unless
NAME_OVERRIDES says otherwise; its official names become aliases. Demonyms, capitals
and seats of government (metonyms), extra aliases and the few Wikidata ids we are
sure of come from the STATES table below. Organisations come from ORGANISATIONS.
"""
from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path

import pycountry

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "ontology" / "actors.tsv"
COLUMNS = ["name", "type", "country", "aliases", "demonyms", "metonyms", "wikidata"]

UN_MEMBERS = """
AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH
BWA BRA BRN BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG CRI CIV HRV CUB CYP
CZE PRK COD DNK DJI DMA DOM ECU EGY SLV GNQ ERI EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU
GHA GRC GRD GTM GIN GNB GUY HTI HND HUN ISL IND IDN IRN IRQ IRL ISR ITA JAM JPN JOR KAZ
KEN KIR KWT KGZ LAO LVA LBN LSO LBR LBY LIE LTU LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS
MEX FSM MCO MNG MNE MAR MOZ MMR NAM NRU NPL NLD NZL NIC NER NGA MKD NOR OMN PAK PLW PAN
PNG PRY PER PHL POL PRT QAT KOR MDA ROU RUS RWA KNA LCA VCT WSM SMR STP SAU SEN SRB SYC
SLE SGP SVK SVN SLB SOM ZAF SSD ESP LKA SDN SUR SWE CHE SYR TJK THA TLS TGO TON TTO TUN
TUR TKM TUV UGA UKR ARE GBR TZA USA URY UZB VUT VEN VNM YEM ZMB ZWE
""".split()
NON_MEMBERS = ["PSE", "TWN", "XKX", "VAT", "ESH"]

NAME_OVERRIDES = {
    "BRN": "Brunei",
    "COD": "Democratic Republic of the Congo",
    "COG": "Republic of the Congo",
    "CZE": "Czech Republic",
    "FSM": "Micronesia",
    "PSE": "Palestine",
    "RUS": "Russia",
    "STP": "São Tomé and Príncipe",
    "TUR": "Turkey",
    "VAT": "Vatican",
    "XKX": "Kosovo",  # user-assigned code, not in ISO 3166-1 (so not in pycountry)
}

# pycountry names never used as aliases (inverted "X, Y of" forms are skipped anyway).
SKIP_PYCOUNTRY_NAMES = {"Taiwan, Province of China"}

# code: (extra aliases, demonyms, metonyms = capitals and seats of government, wikidata)
STATES: dict[str, tuple[str, str, str, str]] = {
    "AFG": ("Islamic Emirate of Afghanistan", "Afghan|Afghans", "Kabul", "Q889"),
    "ALB": ("", "Albanian|Albanians", "Tirana|Tiranë", "Q222"),
    "DZA": ("", "Algerian|Algerians", "Algiers", "Q262"),
    "AND": ("", "Andorran|Andorrans", "Andorra la Vella", ""),
    "AGO": ("", "Angolan|Angolans", "Luanda", ""),
    "ATG": ("Antigua", "Antiguan|Antiguans|Barbudan|Barbudans", "St. John's", ""),
    "ARG": ("", "Argentine|Argentines|Argentinian|Argentinians", "Buenos Aires|the Casa Rosada", "Q414"),
    "ARM": ("", "Armenian|Armenians", "Yerevan", "Q399"),
    "AUS": ("Commonwealth of Australia", "Australian|Australians|Aussie|Aussies", "Canberra", "Q408"),
    "AUT": ("", "Austrian|Austrians", "Vienna", "Q40"),
    "AZE": ("", "Azerbaijani|Azerbaijanis|Azeri|Azeris", "Baku", "Q227"),
    "BHS": ("The Bahamas", "Bahamian|Bahamians", "Nassau", ""),
    "BHR": ("", "Bahraini|Bahrainis", "Manama", ""),
    "BGD": ("", "Bangladeshi|Bangladeshis", "Dhaka|Dacca", "Q902"),
    "BRB": ("", "Barbadian|Barbadians|Bajan|Bajans", "Bridgetown", ""),
    "BLR": ("Byelorussia|Belorussia", "Belarusian|Belarusians|Belarussian|Belarussians|Byelorussian", "Minsk", "Q184"),
    # "Brussels" is left to the European Union, which it almost always means in the news.
    "BEL": ("", "Belgian|Belgians", "", "Q31"),
    "BLZ": ("", "Belizean|Belizeans", "Belmopan", ""),
    "BEN": ("Dahomey", "Beninese|Beninois", "Porto-Novo|Cotonou", ""),
    "BTN": ("", "Bhutanese", "Thimphu", ""),
    "BOL": ("", "Bolivian|Bolivians", "La Paz|Sucre", ""),
    "BIH": ("Bosnia|Bosnia-Herzegovina|Bosnia Herzegovina|BiH", "Bosnian|Bosnians|Herzegovinian|Herzegovinians", "Sarajevo", "Q225"),
    "BWA": ("", "Motswana|Batswana|Botswanan|Botswanans", "Gaborone", ""),
    "BRA": ("", "Brazilian|Brazilians", "Brasília|the Planalto|Planalto Palace", "Q155"),
    "BRN": ("Brunei Darussalam|Nation of Brunei", "Bruneian|Bruneians", "Bandar Seri Begawan", ""),
    "BGR": ("", "Bulgarian|Bulgarians", "Sofia", "Q219"),
    "BFA": ("Burkina|Upper Volta", "Burkinabe|Burkinabè|Burkinabes", "Ouagadougou", ""),
    "BDI": ("", "Burundian|Burundians", "Gitega|Bujumbura", ""),
    "CPV": ("Cape Verde", "Cape Verdean|Cape Verdeans|Cabo Verdean|Cabo Verdeans", "Praia", ""),
    "KHM": ("Kampuchea", "Cambodian|Cambodians|Khmer", "Phnom Penh", ""),
    "CMR": ("", "Cameroonian|Cameroonians", "Yaoundé", ""),
    "CAN": ("", "Canadian|Canadians", "Ottawa", "Q16"),
    "CAF": ("CAR|Centrafrique", "Central African|Central Africans", "Bangui", ""),
    "TCD": ("Tchad", "Chadian|Chadians", "N'Djamena|Ndjamena", ""),
    "CHL": ("", "Chilean|Chileans", "Santiago|Santiago de Chile|La Moneda", "Q298"),
    "CHN": ("PRC|P.R.C.|Mainland China|Communist China", "Chinese", "Beijing|Peking|Zhongnanhai", "Q148"),
    "COL": ("", "Colombian|Colombians", "Bogotá|the Casa de Nariño", "Q739"),
    "COM": ("Comoro Islands", "Comorian|Comorians|Comoran|Comorans", "Moroni", ""),
    # "Congo" and "Congolese" are shared: they go to the DR Congo (see SHARED below).
    "COG": ("Republic of Congo|Congo Republic|Congo-Brazzaville|Congo Brazzaville", "Congolese", "Brazzaville", ""),
    "COD": ("DR Congo|D.R. Congo|DRC|D.R.C.|DR of Congo|Democratic Republic of Congo|Congo|Congo-Kinshasa|Congo Kinshasa|Zaire",
            "Congolese", "Kinshasa", ""),
    "CRI": ("", "Costa Rican|Costa Ricans", "San José", ""),
    "CIV": ("Ivory Coast|Cote d'Ivoire|Côte d’Ivoire", "Ivorian|Ivorians", "Yamoussoukro|Abidjan", ""),
    "HRV": ("Hrvatska", "Croatian|Croatians|Croat|Croats", "Zagreb", "Q224"),
    "CUB": ("", "Cuban|Cubans", "Havana", "Q241"),
    "CYP": ("", "Cypriot|Cypriots", "Nicosia", ""),
    "CZE": ("Czechia", "Czech|Czechs", "Prague", "Q213"),
    "PRK": ("DPRK|D.P.R.K.|N. Korea|N Korea", "North Korean|North Koreans", "Pyongyang", "Q423"),
    "DNK": ("", "Danish|Dane|Danes", "Copenhagen", "Q35"),
    "DJI": ("", "Djiboutian|Djiboutians", "Djibouti City", ""),
    # "Dominican" is shared with the Dominican Republic, which keeps it.
    "DMA": ("", "Dominican|Dominicans", "Roseau", ""),
    "DOM": ("", "Dominican|Dominicans", "Santo Domingo", ""),
    "ECU": ("", "Ecuadorian|Ecuadorians|Ecuadorean|Ecuadoreans", "Quito", ""),
    "EGY": ("", "Egyptian|Egyptians", "Cairo", "Q79"),
    "SLV": ("", "Salvadoran|Salvadorans|Salvadorian|Salvadorians", "San Salvador", ""),
    "GNQ": ("", "Equatorial Guinean|Equatorial Guineans|Equatoguinean|Equatoguineans", "Malabo", ""),
    "ERI": ("State of Eritrea", "Eritrean|Eritreans", "Asmara", ""),
    "EST": ("", "Estonian|Estonians", "Tallinn", ""),
    "SWZ": ("Swaziland", "Swazi|Swazis|Liswati", "Mbabane|Lobamba", ""),
    "ETH": ("Abyssinia", "Ethiopian|Ethiopians", "Addis Ababa", ""),
    "FJI": ("", "Fijian|Fijians", "Suva", ""),
    "FIN": ("", "Finnish|Finn|Finns", "Helsinki", "Q33"),
    "FRA": ("", "French|Frenchman|Frenchmen", "Paris|the Élysée|Élysée Palace|Quai d'Orsay", "Q142"),
    "GAB": ("", "Gabonese", "Libreville", ""),
    "GMB": ("The Gambia", "Gambian|Gambians", "Banjul", ""),
    "GEO": ("Sakartvelo", "Georgian|Georgians", "Tbilisi", "Q230"),
    "DEU": ("Deutschland", "German|Germans", "Berlin|the Chancellery", "Q183"),
    "GHA": ("", "Ghanaian|Ghanaians", "Accra", ""),
    "GRC": ("Hellas", "Greek|Greeks|Hellenic", "Athens", "Q41"),
    "GRD": ("", "Grenadian|Grenadians", "St. George's", ""),
    "GTM": ("", "Guatemalan|Guatemalans", "Guatemala City", ""),
    "GIN": ("Guinea-Conakry|Guinea Conakry", "Guinean|Guineans", "Conakry", ""),
    "GNB": ("", "Bissau-Guinean|Bissau-Guineans", "Bissau", ""),
    "GUY": ("", "Guyanese", "Georgetown", ""),
    "HTI": ("", "Haitian|Haitians", "Port-au-Prince", ""),
    "HND": ("", "Honduran|Hondurans", "Tegucigalpa", ""),
    "HUN": ("", "Hungarian|Hungarians|Magyar|Magyars", "Budapest", "Q28"),
    "ISL": ("", "Icelandic|Icelander|Icelanders", "Reykjavík", ""),
    "IND": ("Bharat", "Indian|Indians", "New Delhi|Delhi", "Q668"),
    "IDN": ("", "Indonesian|Indonesians", "Jakarta", "Q252"),
    "IRN": ("Persia", "Iranian|Iranians", "Tehran|Teheran", "Q794"),
    "IRQ": ("", "Iraqi|Iraqis", "Baghdad", "Q796"),
    "IRL": ("Republic of Ireland|Eire|Éire", "Irish|Irishman|Irishmen", "Dublin", "Q27"),
    "ISR": ("", "Israeli|Israelis", "Jerusalem|Tel Aviv", "Q801"),
    "ITA": ("", "Italian|Italians", "Rome|Palazzo Chigi", "Q38"),
    "JAM": ("", "Jamaican|Jamaicans", "Kingston", ""),
    "JPN": ("Nippon", "Japanese", "Tokyo", "Q17"),
    "JOR": ("", "Jordanian|Jordanians", "Amman", "Q810"),
    "KAZ": ("", "Kazakh|Kazakhs|Kazakhstani|Kazakhstanis", "Astana|Nur-Sultan", "Q232"),
    "KEN": ("", "Kenyan|Kenyans", "Nairobi", "Q114"),
    "KIR": ("", "I-Kiribati|Kiribatian", "Tarawa|South Tarawa", ""),
    "KWT": ("", "Kuwaiti|Kuwaitis", "Kuwait City", "Q817"),
    "KGZ": ("Kirghizia|Kyrgyz Republic", "Kyrgyz|Kyrgyzstani|Kyrgyzstanis|Kirghiz", "Bishkek", ""),
    "LAO": ("Lao PDR", "Lao|Laotian|Laotians", "Vientiane", ""),
    "LVA": ("", "Latvian|Latvians", "Riga", ""),
    "LBN": ("", "Lebanese", "Beirut", "Q822"),
    "LSO": ("", "Basotho|Mosotho|Lesothan", "Maseru", ""),
    "LBR": ("", "Liberian|Liberians", "Monrovia", ""),
    "LBY": ("", "Libyan|Libyans", "Tripoli", "Q1016"),
    "LIE": ("", "Liechtensteiner|Liechtensteiners", "Vaduz", ""),
    "LTU": ("", "Lithuanian|Lithuanians", "Vilnius", ""),
    "LUX": ("", "Luxembourgish|Luxembourger|Luxembourgers", "Luxembourg City", ""),
    "MDG": ("", "Malagasy|Madagascan|Madagascans", "Antananarivo", ""),
    "MWI": ("", "Malawian|Malawians", "Lilongwe", ""),
    "MYS": ("", "Malaysian|Malaysians", "Kuala Lumpur|Putrajaya", ""),
    "MDV": ("", "Maldivian|Maldivians", "Malé", ""),
    "MLI": ("", "Malian|Malians", "Bamako", ""),
    "MLT": ("", "Maltese", "Valletta", ""),
    "MHL": ("", "Marshallese", "Majuro", ""),
    "MRT": ("", "Mauritanian|Mauritanians", "Nouakchott", ""),
    "MUS": ("", "Mauritian|Mauritians", "Port Louis", ""),
    "MEX": ("", "Mexican|Mexicans", "Mexico City|Los Pinos|the National Palace", "Q96"),
    "FSM": ("", "Micronesian|Micronesians", "Palikir", ""),
    "MCO": ("", "Monegasque|Monégasque|Monacan", "Monaco-Ville", ""),
    "MNG": ("", "Mongolian|Mongolians", "Ulaanbaatar|Ulan Bator", ""),
    "MNE": ("", "Montenegrin|Montenegrins", "Podgorica", "Q236"),
    "MAR": ("", "Moroccan|Moroccans", "Rabat", "Q1028"),
    "MOZ": ("", "Mozambican|Mozambicans", "Maputo", ""),
    "MMR": ("Burma", "Burmese|Myanmarese", "Naypyidaw|Nay Pyi Taw|Naypyitaw", "Q836"),
    "NAM": ("", "Namibian|Namibians", "Windhoek", ""),
    "NRU": ("", "Nauruan|Nauruans", "Yaren", ""),
    "NPL": ("", "Nepali|Nepalis|Nepalese", "Kathmandu", ""),
    "NLD": ("Holland|The Netherlands", "Dutch|Dutchman|Dutchmen|Netherlander|Netherlanders", "Amsterdam|The Hague", "Q55"),
    "NZL": ("Aotearoa", "New Zealander|New Zealanders|Kiwi|Kiwis", "Wellington", "Q664"),
    "NIC": ("", "Nicaraguan|Nicaraguans", "Managua", ""),
    "NER": ("", "Nigerien|Nigeriens", "Niamey", ""),
    "NGA": ("", "Nigerian|Nigerians", "Abuja", "Q1033"),
    "MKD": ("Macedonia|FYROM|Former Yugoslav Republic of Macedonia", "Macedonian|Macedonians|North Macedonian|North Macedonians", "Skopje", "Q221"),
    "NOR": ("", "Norwegian|Norwegians", "Oslo", "Q20"),
    "OMN": ("", "Omani|Omanis", "Muscat", ""),
    "PAK": ("", "Pakistani|Pakistanis", "Islamabad", "Q843"),
    "PLW": ("", "Palauan|Palauans", "Ngerulmud|Melekeok", ""),
    "PAN": ("", "Panamanian|Panamanians", "Panama City", ""),
    "PNG": ("PNG", "Papua New Guinean|Papua New Guineans", "Port Moresby", ""),
    "PRY": ("", "Paraguayan|Paraguayans", "Asunción", ""),
    "PER": ("", "Peruvian|Peruvians", "Lima", ""),
    "PHL": ("The Philippines", "Filipino|Filipinos|Filipina|Filipinas|Philippine", "Manila|Malacañang|Malacanang Palace", "Q928"),
    "POL": ("", "Polish|Pole|Poles", "Warsaw", "Q36"),
    "PRT": ("", "Portuguese", "Lisbon", "Q45"),
    "QAT": ("", "Qatari|Qataris", "Doha", "Q846"),
    "KOR": ("Republic of Korea|ROK|R.O.K.|S. Korea|Korea", "South Korean|South Koreans|Korean|Koreans", "Seoul|the Blue House", "Q884"),
    "MDA": ("Moldavia", "Moldovan|Moldovans", "Chișinău|Chisinau|Kishinev", "Q217"),
    "ROU": ("Rumania", "Romanian|Romanians", "Bucharest", "Q218"),
    "RUS": ("Russian Federation|Rossiya", "Russian|Russians", "Moscow|the Kremlin", "Q159"),
    "RWA": ("", "Rwandan|Rwandans|Rwandese", "Kigali", ""),
    "KNA": ("St. Kitts and Nevis|Saint Kitts|St. Kitts|St Kitts & Nevis", "Kittitian|Kittitians|Nevisian|Nevisians", "Basseterre", ""),
    "LCA": ("St. Lucia", "Saint Lucian|Saint Lucians|St. Lucian|St. Lucians", "Castries", ""),
    "VCT": ("St. Vincent and the Grenadines|Saint Vincent|St. Vincent", "Vincentian|Vincentians", "Kingstown", ""),
    "WSM": ("Western Samoa", "Samoan|Samoans", "Apia", ""),
    "SMR": ("", "Sammarinese", "San Marino City|City of San Marino", ""),
    "STP": ("Sao Tome", "Santomean|Santomeans|São Toméan", "São Tomé City", ""),
    "SAU": ("KSA", "Saudi|Saudis|Saudi Arabian|Saudi Arabians", "Riyadh", "Q851"),
    "SEN": ("", "Senegalese", "Dakar", ""),
    "SRB": ("Srbija", "Serbian|Serbians|Serb|Serbs", "Belgrade", "Q403"),
    "SYC": ("", "Seychellois", "Victoria", ""),
    "SLE": ("", "Sierra Leonean|Sierra Leoneans", "Freetown", ""),
    "SGP": ("", "Singaporean|Singaporeans", "Singapore City", "Q334"),
    "SVK": ("", "Slovak|Slovaks|Slovakian|Slovakians", "Bratislava", "Q214"),
    "SVN": ("", "Slovenian|Slovenians|Slovene|Slovenes", "Ljubljana", "Q215"),
    "SLB": ("Solomons", "Solomon Islander|Solomon Islanders", "Honiara", ""),
    "SOM": ("", "Somali|Somalis|Somalian|Somalians", "Mogadishu|Villa Somalia", "Q1045"),
    "ZAF": ("", "South African|South Africans", "Pretoria|Cape Town|the Union Buildings", "Q258"),
    "SSD": ("", "South Sudanese", "Juba", "Q958"),
    "ESP": ("España", "Spanish|Spaniard|Spaniards", "Madrid|La Moncloa|Moncloa", "Q29"),
    "LKA": ("Ceylon", "Sri Lankan|Sri Lankans", "Colombo|Sri Jayawardenepura Kotte", "Q854"),
    "SDN": ("The Sudan", "Sudanese", "Khartoum|Port Sudan", "Q1049"),
    "SUR": ("", "Surinamese|Surinamer|Surinamers", "Paramaribo", ""),
    "SWE": ("", "Swedish|Swede|Swedes", "Stockholm", "Q34"),
    "CHE": ("Swiss Confederation|Confoederatio Helvetica", "Swiss", "Bern|Berne", "Q39"),
    "SYR": ("", "Syrian|Syrians", "Damascus", "Q858"),
    "TJK": ("", "Tajik|Tajiks|Tajikistani|Tajikistanis", "Dushanbe", ""),
    "THA": ("Siam", "Thai|Thais", "Bangkok", "Q869"),
    "TLS": ("East Timor|Timor Leste", "Timorese|East Timorese", "Dili", ""),
    "TGO": ("", "Togolese", "Lomé", ""),
    "TON": ("", "Tongan|Tongans", "Nuku'alofa", ""),
    "TTO": ("Trinidad|Trinidad & Tobago", "Trinidadian|Trinidadians|Tobagonian|Tobagonians", "Port of Spain", ""),
    "TUN": ("", "Tunisian|Tunisians", "Tunis", "Q948"),
    "TUR": ("Türkiye|Republic of Turkey", "Turkish|Turk|Turks", "Ankara", "Q43"),
    "TKM": ("", "Turkmen|Turkmens|Turkmenistani", "Ashgabat", ""),
    "TUV": ("", "Tuvaluan|Tuvaluans", "Funafuti", ""),
    "UGA": ("", "Ugandan|Ugandans", "Kampala", ""),
    "UKR": ("The Ukraine", "Ukrainian|Ukrainians", "Kyiv|Kiev", "Q212"),
    "ARE": ("UAE|U.A.E.|Emirates|the Emirates", "Emirati|Emiratis", "Abu Dhabi", "Q878"),
    "GBR": ("UK|U.K.|Britain|Great Britain", "British|Briton|Britons|Brit|Brits",
            "London|Downing Street|Whitehall|Westminster", "Q145"),
    "TZA": ("United Republic of Tanzania", "Tanzanian|Tanzanians", "Dodoma|Dar es Salaam", ""),
    "USA": ("US|U.S.|USA|U.S.A.|United States of America|America",
            "American|Americans", "Washington|Washington DC|Washington, D.C.|the White House|the Pentagon|the State Department", "Q30"),
    "URY": ("", "Uruguayan|Uruguayans", "Montevideo", ""),
    "UZB": ("", "Uzbek|Uzbeks|Uzbekistani|Uzbekistanis", "Tashkent", ""),
    "VUT": ("", "Ni-Vanuatu|Vanuatuan", "Port Vila", ""),
    "VEN": ("", "Venezuelan|Venezuelans", "Caracas|Miraflores Palace", "Q717"),
    "VNM": ("Viet Nam", "Vietnamese", "Hanoi", "Q881"),
    "YEM": ("", "Yemeni|Yemenis", "Sanaa|Sana'a|Aden", "Q805"),
    "ZMB": ("", "Zambian|Zambians", "Lusaka", ""),
    "ZWE": ("", "Zimbabwean|Zimbabweans", "Harare", ""),
    # Non-members.
    "PSE": ("State of Palestine|Palestinian territories|Palestinian Territories|occupied Palestinian territories|occupied Palestinian territory"
            "|West Bank|occupied West Bank|Gaza|Gaza Strip",
            "Palestinian|Palestinians", "Ramallah|East Jerusalem", "Q219060"),
    "TWN": ("Republic of China|ROC|R.O.C.|Chinese Taipei|Formosa", "Taiwanese", "Taipei", "Q865"),
    "XKX": ("Republic of Kosovo|Kosova", "Kosovar|Kosovars|Kosovan|Kosovans", "Pristina|Prishtina", "Q1246"),
    "VAT": ("Holy See|the Holy See|Vatican City|Vatican City State", "", "the Apostolic Palace", "Q237"),
    "ESH": ("Sahrawi Arab Democratic Republic|SADR", "Sahrawi|Sahrawis|Saharawi|Saharawis|Western Saharan", "", ""),
}

# Surface forms claimed by more than one state: the state that keeps them.
SHARED = {"Congo": "COD", "Congolese": "COD", "Dominican": "DOM", "Dominicans": "DOM"}

# Accented forms whose plain-ASCII spelling is a common English word: no ASCII variant.
NO_ASCII_VARIANT = {"Malé"}

IGO, POL, ARMED, MEDIA = "InternationalOrganization", "PoliticalOrganization", "ArmedGroup", "MediaOrganization"

# (name, type, country, aliases, demonyms, metonyms, wikidata)
ORGANISATIONS: list[tuple[str, str, str, str, str, str, str]] = [
    # International organisations.
    ("United Nations", IGO, "", "UN|U.N.|UNO|Nations Unies", "", "", "Q1065"),
    ("United Nations Security Council", IGO, "", "UNSC|UN Security Council|U.N. Security Council|Security Council", "", "", "Q37470"),
    ("United Nations General Assembly", IGO, "", "UNGA|UN General Assembly|U.N. General Assembly|General Assembly", "", "", ""),
    ("United Nations Human Rights Council", IGO, "", "UNHRC|UN Human Rights Council|U.N. Human Rights Council|Human Rights Council", "", "", ""),
    ("UNRWA", IGO, "", "Unrwa|United Nations Relief and Works Agency|United Nations Relief and Works Agency for Palestine Refugees in the Near East|UN Relief and Works Agency|U.N. Relief and Works Agency|UN agency for Palestinian refugees|U.N. agency for Palestinian refugees", "", "", ""),
    ("UNHCR", IGO, "", "Unhcr|United Nations High Commissioner for Refugees|UN High Commissioner for Refugees|UN refugee agency|U.N. refugee agency|United Nations Refugee Agency", "", "", ""),
    ("UNICEF", IGO, "", "Unicef|United Nations Children's Fund|UN Children's Fund|U.N. Children's Fund", "", "", ""),
    ("UNESCO", IGO, "", "Unesco|United Nations Educational, Scientific and Cultural Organization", "", "", ""),
    ("World Food Programme", IGO, "", "WFP|World Food Program|UN World Food Programme|U.N. World Food Program", "", "", ""),
    ("European Union", IGO, "", "EU|E.U.|European Community", "", "Brussels", "Q458"),
    ("European Commission", IGO, "", "EU Commission|E.U. Commission", "", "the Berlaymont", ""),
    ("European Parliament", IGO, "", "EU Parliament|Europarl", "", "", ""),
    ("European Council", IGO, "", "EU Council|Council of the European Union|Council of the EU", "", "", ""),
    ("NATO", IGO, "", "Nato|North Atlantic Treaty Organization|North Atlantic Treaty Organisation|North Atlantic Alliance|OTAN", "", "", "Q7184"),
    ("Organization for Security and Co-operation in Europe", IGO, "", "OSCE|Organization for Security and Cooperation in Europe|Organisation for Security and Co-operation in Europe", "", "", ""),
    ("Council of Europe", IGO, "", "", "", "", "Q8908"),
    ("African Union", IGO, "", "AU|A.U.|Organisation of African Unity|OAU", "", "", ""),
    ("Arab League", IGO, "", "League of Arab States", "", "", "Q7172"),
    ("ASEAN", IGO, "", "Asean|Association of Southeast Asian Nations|Association of South East Asian Nations", "", "", "Q7768"),
    ("Asia-Pacific Economic Cooperation", IGO, "", "APEC|Apec", "", "", ""),
    ("OPEC", IGO, "", "Opec|Organization of the Petroleum Exporting Countries|Organisation of the Petroleum Exporting Countries|OPEC+|Opec+", "", "", "Q7795"),
    ("World Health Organization", IGO, "", "WHO|World Health Organisation", "", "", "Q7817"),
    ("International Atomic Energy Agency", IGO, "", "IAEA|UN nuclear watchdog|U.N. nuclear watchdog", "", "", ""),
    ("International Monetary Fund", IGO, "", "IMF", "", "", "Q7804"),
    ("World Bank", IGO, "", "World Bank Group", "", "", ""),
    ("World Trade Organization", IGO, "", "WTO|World Trade Organisation", "", "", "Q7825"),
    ("International Criminal Court", IGO, "", "ICC", "", "", "Q47488"),
    ("International Court of Justice", IGO, "", "ICJ|World Court", "", "", "Q7801"),
    ("International Committee of the Red Cross", IGO, "", "ICRC|Red Cross|International Red Cross", "", "", ""),
    ("Organization of American States", IGO, "", "OAS|Organisation of American States", "", "", ""),
    ("Gulf Cooperation Council", IGO, "", "GCC|Cooperation Council for the Arab States of the Gulf|Gulf Co-operation Council", "", "", ""),
    ("Shanghai Cooperation Organisation", IGO, "", "SCO|Shanghai Cooperation Organization", "", "", ""),
    ("BRICS", IGO, "", "Brics|BRICS group", "", "", ""),
    ("G7", IGO, "", "G-7|Group of Seven|Group of 7", "", "", ""),
    ("G20", IGO, "", "G-20|Group of Twenty|Group of 20", "", "", ""),
    ("Commonwealth of Independent States", IGO, "", "CIS", "", "", ""),
    ("Interpol", IGO, "", "INTERPOL|International Criminal Police Organization", "", "", ""),
    ("Organisation of Islamic Cooperation", IGO, "", "OIC|Organization of Islamic Cooperation|Organisation of the Islamic Conference", "", "", ""),
    ("Economic Community of West African States", IGO, "", "ECOWAS|Ecowas", "", "", ""),
    # Political organisations.
    ("Palestinian Authority", POL, "PSE", "PA|Palestinian National Authority|PNA", "", "", ""),
    ("Palestine Liberation Organization", POL, "PSE", "PLO|Palestine Liberation Organisation", "", "", ""),
    ("Fatah", POL, "PSE", "al-Fatah|Fateh", "", "", ""),
    ("Popular Front for the Liberation of Palestine", POL, "PSE", "PFLP", "", "", ""),
    ("Democratic Front for the Liberation of Palestine", POL, "PSE", "DFLP", "", "", ""),
    ("Muslim Brotherhood", POL, "EGY", "Society of the Muslim Brothers|Ikhwan|al-Ikhwan al-Muslimun", "", "", ""),
    ("Polisario Front", POL, "ESH", "Polisario|Frente Polisario", "", "", ""),
    # Armed groups.
    ("Hamas", ARMED, "PSE", "Islamic Resistance Movement|Qassam Brigades|al-Qassam Brigades|Izz ad-Din al-Qassam Brigades|Ezzedine al-Qassam Brigades", "", "", ""),
    ("Palestinian Islamic Jihad", ARMED, "PSE", "Islamic Jihad|PIJ|Islamic Jihad Movement in Palestine|al-Quds Brigades", "", "", ""),
    ("Hezbollah", ARMED, "LBN", "Hizbollah|Hizballah|Hizbullah|Hezbollah movement", "", "", ""),
    ("Houthis", ARMED, "YEM", "Houthi|Houthi movement|Houthi rebels|Huthis|Huthi|Ansar Allah|Ansarallah", "", "", ""),
    ("Taliban", ARMED, "AFG", "Taleban|Afghan Taliban", "", "", ""),
    ("Tehrik-i-Taliban Pakistan", ARMED, "PAK", "TTP|Pakistani Taliban|Tehreek-e-Taliban Pakistan", "", "", ""),
    ("Islamic State", ARMED, "", "IS|ISIS|Isis|ISIL|Isil|Daesh|Da'esh|Islamic State group|Islamic State of Iraq and Syria|Islamic State of Iraq and the Levant", "", "", ""),
    ("al-Qaeda", ARMED, "", "al-Qaida|al-Qa'ida|al-Qa’ida", "", "", ""),
    ("al-Qaeda in the Arabian Peninsula", ARMED, "YEM", "AQAP|al-Qaida in the Arabian Peninsula", "", "", ""),
    ("al-Shabaab", ARMED, "SOM", "al-Shabab|Shabaab|Harakat al-Shabaab al-Mujahideen", "", "", ""),
    ("Boko Haram", ARMED, "NGA", "", "", "", ""),
    ("Islamic State West Africa Province", ARMED, "NGA", "ISWAP", "", "", ""),
    ("Wagner Group", ARMED, "RUS", "Wagner|PMC Wagner|Wagner PMC|Wagner mercenary group|Wagner private military company", "", "", ""),
    ("FARC", ARMED, "COL", "Farc|FARC-EP|Revolutionary Armed Forces of Colombia", "", "", ""),
    ("ELN", ARMED, "COL", "National Liberation Army|Ejército de Liberación Nacional", "", "", ""),
    ("PKK", ARMED, "TUR", "Kurdistan Workers' Party|Kurdistan Workers Party|Partiya Karkerên Kurdistanê", "", "", ""),
    ("Moro Islamic Liberation Front", ARMED, "PHL", "MILF", "", "", ""),
    ("Revolutionary United Front", ARMED, "SLE", "RUF", "", "", ""),
    ("Liberation Tigers of Tamil Eelam", ARMED, "LKA", "LTTE|Tamil Tigers", "", "", ""),
    ("Irish Republican Army", ARMED, "GBR", "IRA|Provisional IRA|Provisional Irish Republican Army", "", "", ""),
    ("ETA", ARMED, "ESP", "Euskadi Ta Askatasuna", "", "", ""),
    ("Kosovo Liberation Army", ARMED, "XKX", "KLA|UCK|UÇK", "", "", ""),
    ("Kata'ib Hezbollah", ARMED, "IRQ", "Kataib Hezbollah|Kata'ib Hizballah|Kataib Hizbollah", "", "", ""),
    ("Popular Mobilization Forces", ARMED, "IRQ", "PMF|Popular Mobilisation Forces|Hashd al-Shaabi|al-Hashd al-Shaabi", "", "", ""),
    ("Hayat Tahrir al-Sham", ARMED, "SYR", "HTS|Hay'at Tahrir al-Sham", "", "", ""),
    ("Syrian Democratic Forces", ARMED, "SYR", "SDF", "", "", ""),
    ("Rapid Support Forces", ARMED, "SDN", "RSF", "", "", ""),
    ("M23", ARMED, "COD", "M23 rebels|March 23 Movement", "", "", ""),
    # Media.
    ("TASS", MEDIA, "RUS", "Tass|Itar-Tass|ITAR-TASS|TASS news agency", "", "", ""),
    ("RIA Novosti", MEDIA, "RUS", "RIA|RIA news agency", "", "", ""),
    ("Interfax", MEDIA, "RUS", "Interfax news agency", "", "", ""),
    ("Sputnik", MEDIA, "RUS", "Sputnik News", "", "", ""),
    ("RT", MEDIA, "RUS", "Russia Today", "", "", ""),
    ("Reuters", MEDIA, "GBR", "Reuters news agency|Thomson Reuters", "", "", "Q130879"),
    ("Associated Press", MEDIA, "USA", "AP|A.P.", "", "", "Q40469"),
    ("Agence France-Presse", MEDIA, "FRA", "AFP|Agence France Presse", "", "", "Q40464"),
    ("Xinhua", MEDIA, "CHN", "Xinhua News Agency", "", "", ""),
    ("Global Times", MEDIA, "CHN", "", "", "", ""),
    ("People's Daily", MEDIA, "CHN", "", "", "", ""),
    ("CGTN", MEDIA, "CHN", "China Global Television Network", "", "", ""),
    ("Al Jazeera", MEDIA, "QAT", "Al-Jazeera|Aljazeera", "", "", ""),
    ("Al Arabiya", MEDIA, "SAU", "Al-Arabiya", "", "", ""),
    ("BBC", MEDIA, "GBR", "British Broadcasting Corporation|BBC News", "", "", "Q9531"),
    ("CNN", MEDIA, "USA", "Cable News Network", "", "", "Q48340"),
    ("Bloomberg", MEDIA, "USA", "Bloomberg News", "", "", ""),
    ("Kyodo", MEDIA, "JPN", "Kyodo News", "", "", ""),
    ("Yonhap", MEDIA, "KOR", "Yonhap News Agency", "", "", ""),
    ("IRNA", MEDIA, "IRN", "Islamic Republic News Agency", "", "", ""),
    ("Fars News Agency", MEDIA, "IRN", "Fars", "", "", ""),
    ("Tasnim News Agency", MEDIA, "IRN", "Tasnim", "", "", ""),
    ("Anadolu Agency", MEDIA, "TUR", "Anadolu", "", "", ""),
    ("WAFA", MEDIA, "PSE", "Wafa|WAFA news agency|Palestinian News and Info Agency", "", "", ""),
    ("KCNA", MEDIA, "PRK", "Korean Central News Agency", "", "", ""),
    ("SANA", MEDIA, "SYR", "Syrian Arab News Agency", "", "", ""),
    ("World Israel News", MEDIA, "ISR", "", "", "", ""),
    ("Times of Israel", MEDIA, "ISR", "", "", "", ""),
    ("Haaretz", MEDIA, "ISR", "", "", "", ""),
    ("Jerusalem Post", MEDIA, "ISR", "JPost", "", "", ""),
    ("New York Times", MEDIA, "USA", "NYT|NY Times", "", "", "Q9684"),
    ("Washington Post", MEDIA, "USA", "WaPo", "", "", "Q166032"),
    ("Wall Street Journal", MEDIA, "USA", "WSJ", "", "", ""),
]


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split("|") if part.strip()]


def _ascii(form: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", form) if not unicodedata.combining(c))


def _with_ascii(forms: list[str]) -> list[str]:
    out: list[str] = []
    for form in forms:
        for variant in (form, _ascii(form)):
            if variant not in out and (variant == form or form not in NO_ASCII_VARIANT):
                out.append(variant)
    return out


def _dedupe(forms: list[str], exclude: set[str]) -> list[str]:
    out: list[str] = []
    for form in forms:
        if form not in exclude and form not in out:
            out.append(form)
    return out


def state_rows() -> list[list[str]]:
    codes = UN_MEMBERS + NON_MEMBERS
    assert len(UN_MEMBERS) == 193 == len(set(UN_MEMBERS)), len(UN_MEMBERS)
    missing = set(codes) ^ set(STATES)
    assert not missing, f"STATES table and code lists differ: {sorted(missing)}"
    rows = []
    for code in codes:
        extra, demonyms, metonyms, wikidata = STATES[code]
        country = pycountry.countries.get(alpha_3=code)
        if country is None and code != "XKX":
            raise SystemExit(f"pycountry does not know {code}")
        names: list[str] = []
        if country is not None:
            for attr in ("common_name", "name", "official_name"):
                value = getattr(country, attr, None)
                if value and "," not in value and "(" not in value and value not in SKIP_PYCOUNTRY_NAMES:
                    names.append(value)
        name = NAME_OVERRIDES.get(code) or names[0]
        aliases = names + _split(extra)
        rows.append([name, "State", code, aliases, _split(demonyms), _split(metonyms), wikidata])
    # Shared forms: drop them from every state but the one that keeps them.
    for form, keeper in SHARED.items():
        for row in rows:
            if row[2] != keeper:
                row[3] = [f for f in row[3] if f != form]
                row[4] = [f for f in row[4] if f != form]
    out = []
    for name, type_, code, aliases, demonyms, metonyms, wikidata in sorted(rows, key=lambda r: r[0]):
        aliases = _dedupe(_with_ascii(aliases), {name})
        demonyms = _dedupe(_with_ascii(demonyms), {name, *aliases})
        metonyms = _dedupe(_with_ascii(metonyms), {name, *aliases, *demonyms})
        out.append([name, type_, code, "|".join(aliases), "|".join(demonyms), "|".join(metonyms), wikidata])
    return out


def organisation_rows() -> list[list[str]]:
    out = []
    for name, type_, country, aliases, demonyms, metonyms, wikidata in ORGANISATIONS:
        alias_list = _dedupe(_with_ascii(_split(aliases)), {name})
        out.append([name, type_, country, "|".join(alias_list), "|".join(_with_ascii(_split(demonyms))),
                    "|".join(_with_ascii(_split(metonyms))), wikidata])
    return out


def render() -> str:
    rows = state_rows() + organisation_rows()
    for row in rows:
        for cell in row:
            assert "\t" not in cell and "\n" not in cell, row
    lines = [
        "# Built-in actor gazetteer. GENERATED by scripts/build_gazetteer.py -- edit that script, not this file.",
        "# name: canonical name; type: State|InternationalOrganization|PoliticalOrganization|ArmedGroup|",
        "#   MediaOrganization|Person; country: ISO 3166-1 alpha-3 of the state the actor belongs to",
        "#   (XKX = Kosovo, user-assigned); empty for international organisations and transnational groups;",
        "# aliases, demonyms, metonyms (capitals and seats of government): pipe-separated surface forms;",
        "# wikidata: Q-id, written into the graph as owl:sameAs <http://www.wikidata.org/entity/Q...>.",
        "#   Source: typed by hand in scripts/build_gazetteer.py from the maintainers' knowledge (no",
        "#   Wikidata access at build time), only for well-known states and organisations whose id is",
        "#   certain; empty otherwise: no link is better than a wrong one.",
        "# Shared forms: "
        + "; ".join(f"{form} -> {keeper}" for form, keeper in SHARED.items()) + ".",
        "\t".join(COLUMNS),
    ]
    lines += ["\t".join(row) for row in rows]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if ontology/actors.tsv is out of date")
    parser.add_argument("--output", type=Path, default=OUT)
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date; run scripts/build_gazetteer.py", file=sys.stderr)
            return 1
        return 0
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}: {text.count(chr(10)) - 7} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
