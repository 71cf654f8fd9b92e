#!/usr/bin/env python3
"""Writes mailchimp-demo-export.zip: the Mailchimp audience export of a fictional company,
"Northwind Outdoor Co.", that Stagecoach ships as its demo data.

Deterministic: the same script writes the same bytes (fixed seed, fixed zip timestamps), so the
zip only changes when this script does. Standard library only.

    python3 resources/demo/make_demo_export.py            # writes next to this script
    python3 resources/demo/make_demo_export.py -o out.zip

The export has Mailchimp's layout (docs: esp-apis.md 1.9): one CSV per status, "Email Address",
the merge fields by label, Mailchimp's metadata columns and TAGS; the unsubscribed file adds the
UNSUB_* columns and the cleaned file the CLEAN_* columns. Every person, company, address and phone
number is made up; addresses use example.com/.org/.net and the reserved .example top-level domain,
phone numbers the ranges set aside for fiction where a country has one.
"""

import argparse
import collections
import csv
import datetime as dt
import io
import os
import random
import unicodedata
import zipfile

SEED = 20261101
EXPORT_ID = "8c1d2e"
NOW = dt.datetime(2026, 11, 1, 9, 0, 0)        # when the export was taken
WINDOW_START = dt.datetime(2023, 11, 1)         # LAST_CHANGED spans the three years before NOW
N_SUBSCRIBED, N_UNSUBSCRIBED, N_CLEANED = 2050, 300, 150

MERGE_FIELDS = ["First Name", "Last Name", "Address", "Phone Number", "Birthday", "Company", "Website"]
METADATA = ["MEMBER_RATING", "OPTIN_TIME", "OPTIN_IP", "CONFIRM_TIME", "CONFIRM_IP", "LATITUDE",
            "LONGITUDE", "GMTOFF", "DSTOFF", "TIMEZONE", "CC", "REGION", "LAST_CHANGED", "LEID", "EUID",
            "NOTES", "TAGS"]
BASE_HEADER = ["Email Address"] + MERGE_FIELDS + METADATA
UNSUB_HEADER = BASE_HEADER + ["UNSUB_TIME", "UNSUB_CAMPAIGN_TITLE", "UNSUB_CAMPAIGN_ID", "UNSUB_REASON",
                              "UNSUB_REASON_OTHER"]
CLEAN_HEADER = BASE_HEADER + ["CLEAN_TIME", "CLEAN_CAMPAIGN_TITLE", "CLEAN_CAMPAIGN_ID"]

# Where the audience lives: a weight, first and last names, places (city, region, postcode,
# latitude, longitude, time zone, UTC offsets standard and daylight) and street names.
COUNTRIES = {
    "US": dict(weight=38,
               first=["Emma", "Liam", "Olivia", "Noah", "Ava", "Ethan", "Sophia", "Mason", "Harper", "Logan",
                      "Abigail", "Lucas", "Emily", "Jackson", "Madison", "Aiden", "Chloe", "Caleb", "Grace",
                      "Wyatt", "Zoey", "Hunter", "Avery", "Isaiah", "Nora", "Dakota", "Maya", "Jayden"],
               last=["Johnson", "Williams", "Brown", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
                     "Wilson", "Anderson", "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White",
                     "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "King", "Wright", "Nguyen",
                     "Hernández", "Peña", "O'Neill", "McAllister"],
               places=[("Portland", "OR", "97201", 45.5152, -122.6784, "America/Los_Angeles", (-8, -7)),
                       ("Seattle", "WA", "98101", 47.6062, -122.3321, "America/Los_Angeles", (-8, -7)),
                       ("Denver", "CO", "80202", 39.7392, -104.9903, "America/Denver", (-7, -6)),
                       ("Boulder", "CO", "80302", 40.0150, -105.2705, "America/Denver", (-7, -6)),
                       ("Salt Lake City", "UT", "84101", 40.7608, -111.8910, "America/Denver", (-7, -6)),
                       ("Minneapolis", "MN", "55401", 44.9778, -93.2650, "America/Chicago", (-6, -5)),
                       ("Burlington", "VT", "05401", 44.4759, -73.2121, "America/New_York", (-5, -4)),
                       ("Asheville", "NC", "28801", 35.5951, -82.5515, "America/New_York", (-5, -4)),
                       ("Bend", "OR", "97701", 44.0582, -121.3153, "America/Los_Angeles", (-8, -7)),
                       ("Anchorage", "AK", "99501", 61.2181, -149.9003, "America/Anchorage", (-9, -8))],
               streets=["Maple Ave", "Cedar St", "Ridge Rd", "Pine St", "Lakeview Dr", "Summit Blvd",
                        "Canyon Rd", "Elm St", "Aspen Way", "Trailhead Ln"]),
    "CA": dict(weight=7,
               first=["Zoé", "Mathéo", "Léa", "Félix", "Chloé", "Émile", "Liam", "Olivia", "Benjamin",
                      "Charlotte", "Noémie", "Samuel"],
               last=["Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie",
                     "Fortin", "Bélanger", "Smith", "MacDonald"],
               places=[("Montréal", "QC", "H2X 1Y4", 45.5019, -73.5674, "America/Toronto", (-5, -4)),
                       ("Québec", "QC", "G1R 4P5", 46.8139, -71.2080, "America/Toronto", (-5, -4)),
                       ("Vancouver", "BC", "V6B 1A1", 49.2827, -123.1207, "America/Vancouver", (-8, -7)),
                       ("Calgary", "AB", "T2P 1J9", 51.0447, -114.0719, "America/Edmonton", (-7, -6))],
               streets=["Rue Saint-Denis", "Boulevard René-Lévesque", "Main St", "Rue des Érables",
                        "Granville St"]),
    "GB": dict(weight=12,
               first=["Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Freya", "Siobhán",
                      "Ciarán", "Aoife", "Rhys", "Niamh", "Eilidh", "Callum", "Ffion"],
               last=["Smith", "Jones", "Taylor", "Davies", "Evans", "Thomas", "Roberts", "O'Connor",
                     "Murphy", "MacLeod", "Campbell", "Hughes", "Price", "Ní Bhriain"],
               places=[("London", "ENG", "EC1A 1BB", 51.5072, -0.1276, "Europe/London", (0, 1)),
                       ("Edinburgh", "SCT", "EH1 1YZ", 55.9533, -3.1883, "Europe/London", (0, 1)),
                       ("Keswick", "ENG", "CA12 5JR", 54.6013, -3.1347, "Europe/London", (0, 1)),
                       ("Cardiff", "WLS", "CF10 1EP", 51.4816, -3.1791, "Europe/London", (0, 1)),
                       ("Manchester", "ENG", "M1 1AE", 53.4808, -2.2426, "Europe/London", (0, 1)),
                       ("Fort William", "SCT", "PH33 6AN", 56.8198, -5.1052, "Europe/London", (0, 1))],
               streets=["High Street", "Station Road", "Church Lane", "Mill Road", "Fell View",
                        "Harbour Row"]),
    "DE": dict(weight=10,
               first=["Jürgen", "Lena", "Jörg", "Sophie", "Björn", "Mia", "Lukas", "Hannah", "Jonas",
                      "Käthe", "Felix", "Anja", "Maximilian", "Marie"],
               last=["Müller", "Schäfer", "Weiß", "Schmidt", "Schneider", "Fischer", "Becker", "Hoffmann",
                     "Krüger", "Köhler", "Wagner", "Groß", "Bauer", "Lehmann"],
               places=[("Berlin", "BE", "10115", 52.5200, 13.4050, "Europe/Berlin", (1, 2)),
                       ("München", "BY", "80331", 48.1351, 11.5820, "Europe/Berlin", (1, 2)),
                       ("Garmisch-Partenkirchen", "BY", "82467", 47.4921, 11.0958, "Europe/Berlin", (1, 2)),
                       ("Freiburg im Breisgau", "BW", "79098", 47.9990, 7.8421, "Europe/Berlin", (1, 2)),
                       ("Hamburg", "HH", "20095", 53.5511, 9.9937, "Europe/Berlin", (1, 2))],
               streets=["Hauptstraße", "Bergweg", "Lindenallee", "Schillerstraße", "Am Waldrand",
                        "Gartenstraße"]),
    "FR": dict(weight=7,
               first=["Chloé", "Élodie", "François", "Hélène", "Théo", "Inès", "Raphaël", "Camille",
                      "Maëlle", "Jérôme", "Agnès", "Léon"],
               last=["Dubois", "Lefèvre", "Bérenger", "Moreau", "Girard", "Lefébure", "Rousseau", "Faure",
                     "Mercier", "Chevalier", "Lemaître", "Benoît"],
               places=[("Chamonix-Mont-Blanc", "ARA", "74400", 45.9237, 6.8694, "Europe/Paris", (1, 2)),
                       ("Lyon", "ARA", "69001", 45.7640, 4.8357, "Europe/Paris", (1, 2)),
                       ("Paris", "IDF", "75004", 48.8566, 2.3522, "Europe/Paris", (1, 2)),
                       ("Annecy", "ARA", "74000", 45.8992, 6.1294, "Europe/Paris", (1, 2))],
               streets=["Rue de la Paix", "Avenue des Alpes", "Chemin du Lac", "Rue Émile Zola",
                        "Place du Marché"]),
    "ES": dict(weight=4,
               first=["José", "María", "Íñigo", "Lucía", "Álvaro", "Sofía", "Martín", "Begoña"],
               last=["García", "Fernández", "Muñoz", "López", "Martínez", "Sánchez", "Gómez", "Ibáñez"],
               places=[("Madrid", "MD", "28013", 40.4168, -3.7038, "Europe/Madrid", (1, 2)),
                       ("Granada", "AN", "18009", 37.1773, -3.5986, "Europe/Madrid", (1, 2)),
                       ("Jaca", "AR", "22700", 42.5697, -0.5496, "Europe/Madrid", (1, 2))],
               streets=["Calle Mayor", "Avenida de la Sierra", "Calle del Río", "Plaza España"]),
    "SE": dict(weight=5,
               first=["Åsa", "Björn", "Linnéa", "Oskar", "Märta", "Elin", "Søren", "Ingrid", "Sindre",
                      "Ástríður"],
               last=["Lindström", "Öberg", "Kjær", "Åkesson", "Nyström", "Sjöberg", "Løvlie", "Haraldsdóttir",
                     "Eriksson"],
               places=[("Stockholm", "AB", "111 52", 59.3293, 18.0686, "Europe/Stockholm", (1, 2)),
                       ("Åre", "Z", "837 52", 63.3990, 13.0815, "Europe/Stockholm", (1, 2)),
                       ("Kiruna", "BD", "981 31", 67.8558, 20.2253, "Europe/Stockholm", (1, 2))],
               streets=["Storgatan", "Fjällvägen", "Sjövägen", "Kyrkogatan"]),
    "PL": dict(weight=3,
               first=["Łukasz", "Zuzanna", "Michał", "Agnieszka", "Paweł", "Małgorzata"],
               last=["Wójcik", "Kowalczyk", "Dąbrowski", "Zieliński", "Wiśniewska", "Szymańska"],
               places=[("Kraków", "MA", "31-042", 50.0647, 19.9450, "Europe/Warsaw", (1, 2)),
                       ("Zakopane", "MA", "34-500", 49.2992, 19.9496, "Europe/Warsaw", (1, 2))],
               streets=["ul. Floriańska", "ul. Krupówki", "ul. Długa"]),
    "JP": dict(weight=3,
               first=["Haruto", "Yūki", "Sakura", "Ren", "Aoi", "Shōta"],
               last=["Satō", "Tanaka", "Suzuki", "Takahashi", "Itō", "Watanabe"],
               places=[("Tokyo", "13", "100-0001", 35.6762, 139.6503, "Asia/Tokyo", (9, 9)),
                       ("Sapporo", "01", "060-0001", 43.0618, 141.3545, "Asia/Tokyo", (9, 9))],
               streets=["Marunouchi", "Kita-ku", "Chūō-ku"]),
    "BR": dict(weight=3,
               first=["João", "Conceição", "Ana", "Luís", "Gabriela", "Thiago"],
               last=["Gonçalves", "Araújo", "Conceição", "Simões", "Magalhães", "Brandão"],
               places=[("São Paulo", "SP", "01310-100", -23.5505, -46.6333, "America/Sao_Paulo", (-3, -3)),
                       ("Florianópolis", "SC", "88010-000", -27.5954, -48.5480, "America/Sao_Paulo", (-3, -3))],
               streets=["Rua Augusta", "Avenida Paulista", "Rua das Flores"]),
    "AU": dict(weight=5,
               first=["Charlotte", "Jack", "Matilda", "Lachlan", "Ruby", "Cooper", "Mia", "Hamish"],
               last=["Smith", "Kelly", "Nguyen", "Taylor", "Brown", "Wilson", "Campbell", "O'Brien"],
               places=[("Sydney", "NSW", "2000", -33.8688, 151.2093, "Australia/Sydney", (10, 11)),
                       ("Hobart", "TAS", "7000", -42.8821, 147.3272, "Australia/Hobart", (10, 11)),
                       ("Katoomba", "NSW", "2780", -33.7125, 150.3119, "Australia/Sydney", (10, 11))],
               streets=["George St", "Bushwalk Rd", "Wattle Ave", "Beach Rd"]),
    "TR": dict(weight=2,
               first=["Çağla", "Şebnem", "Emre", "Gökhan", "İlayda"],
               last=["Öztürk", "Yılmaz", "Şahin", "Çelik", "Doğan"],
               places=[("İstanbul", "34", "34000", 41.0082, 28.9784, "Europe/Istanbul", (3, 3))],
               streets=["İstiklal Caddesi", "Bağdat Caddesi"]),
    "VN": dict(weight=1,
               first=["Thu", "Minh", "Lan", "Đức"],
               last=["Nguyễn", "Trần", "Lê", "Phạm"],
               places=[("Hà Nội", "HN", "100000", 21.0278, 105.8342, "Asia/Ho_Chi_Minh", (7, 7))],
               streets=["Phố Huế", "Đường Láng"]),
}

DOMAINS = [("example.com", 30), ("example.org", 12), ("example.net", 12), ("mail.example.com", 10),
           ("inbox.example.net", 8), ("trailmail.example", 7), ("summit.example", 5), ("fjord.example", 4),
           ("alpenpost.example", 4), ("courrier.example", 4), ("kumo.example", 2), ("correo.example", 2)]

COMPANIES = ["Summit Trail Supply", "Alpenglow Outfitters", "Fjordkant Friluft AS", "Bergsport Müller GmbH",
             "Refuge & Co.", "Tienda Montaña S.L.", "Ridgeback Adventure Tours", "Blue Lake Paddle Club",
             "Kōyō Outdoor K.K.", "Cairn & Compass Ltd", "Trilha Aventura Ltda", "Wildwood Scouts Council",
             "Northern Lights Lodge", "Basecamp Rentals", "Höhenweg Alpinschule", "Coastal Kayak Co-op"]

TAGS = [("Newsletter", 0.58), ("Customer", 0.52), ("Spring Sale 2026", 0.20), ("Hiking", 0.16),
        ("Camping", 0.13), ("Black Friday 2025", 0.12), ("Winter Gear", 0.09), ("VIP", 0.06),
        ("Store Pickup", 0.05)]

# Campaigns sent in the three years before the export: a monthly newsletter and the promotions.
CAMPAIGNS = sorted(
    [(dt.datetime(y, m, 6, 15, 0), f"{dt.date(y, m, 1):%B %Y} Newsletter")
     for y in (2023, 2024, 2025, 2026) for m in range(1, 13) if dt.date(2023, 10, 1) <= dt.date(y, m, 1) < NOW.date()]
    + [(dt.datetime(2024, 3, 20, 16, 0), "Spring Sale 2024"),
       (dt.datetime(2024, 11, 22, 14, 0), "Black Friday 2024: Early Access"),
       (dt.datetime(2025, 4, 2, 16, 0), "Spring Sale 2025"),
       (dt.datetime(2025, 7, 10, 15, 0), "Trail Report: Summer 2025"),
       (dt.datetime(2025, 10, 1, 15, 0), "New Arrivals: Winter Gear"),
       (dt.datetime(2025, 11, 21, 14, 0), "Black Friday 2025 Preview"),
       (dt.datetime(2026, 3, 25, 16, 0), "Spring Sale 2026"),
       (dt.datetime(2026, 4, 10, 16, 0), "Spring Sale 2026: Last Call"),
       (dt.datetime(2026, 7, 15, 15, 0), "Trail Report: Summer 2026"),
       (dt.datetime(2026, 8, 20, 15, 0), "Summer Clearance, up to 40% off")])
CAMPAIGN_IDS = {title: f"{random.Random(title).getrandbits(40):010x}" for _, title in CAMPAIGNS}

# Phone numbers from the ranges set aside for drama and documentation ({} = a random digit):
# North America 555-0100..0199, Ofcom's drama numbers, the Bundesnetzagentur's "Drama Numbers",
# ARCEP's numbers for fiction, ACMA's 5550 xxxx (the French and Australian ranges are from memory,
# not checked against the regulators' pages). Countries without such a range get no phone.
PHONES = {
    "US": "+1 {area} 555 01{}{}", "CA": "+1 {area} 555 01{}{}", "GB": "+44 7700 900{}{}{}",
    "DE": "+49 30 23125 {}{}{}", "FR": "+33 1 99 00 {}{} {}{}", "AU": "+61 2 5550 {}{}{}{}",
}
PHONES_BY_CITY = {
    "London": "+44 20 7946 0{}{}{}", "Edinburgh": "+44 131 496 0{}{}{}", "Manchester": "+44 161 496 0{}{}{}",
    "Cardiff": "+44 29 2018 0{}{}{}", "München": "+49 89 99998 {}{}{}", "Garmisch-Partenkirchen": "+49 89 99998 {}{}{}",
    "Hamburg": "+49 40 66969 {}{}{}", "Hobart": "+61 3 5550 {}{}{}{}",
}
AREA_CODES = {"Portland": "503", "Seattle": "206", "Denver": "303", "Boulder": "303", "Salt Lake City": "801",
              "Minneapolis": "612", "Burlington": "802", "Asheville": "828", "Bend": "541", "Anchorage": "907",
              "Montréal": "514", "Québec": "418", "Vancouver": "604", "Calgary": "403"}

UNSUB_REASONS = [("", 38), ("I no longer want to receive these emails", 28),
                 ("I never signed up for this mailing list", 9), ("The emails are inappropriate", 3),
                 ("The emails are spam and should be reported", 6), ("Other", 16)]
UNSUB_OTHER = ["Too many emails", "Moved abroad, no shop near me", "I only wanted the discount code",
               "Please send a monthly digest instead", "Closing my shop, thanks for everything",
               "Getting these twice, once at work", "Not into winter sports"]

NOTES = ["Called about a warranty claim, sent a replacement strap",
         "Prefers German-language emails",
         "Wholesale enquiry: wants the 2027 catalogue\nFollow up in January",
         "Met at the Boulder trade show, booth 14",
         "Asked to be called \"Sam\" rather than Samantha",
         "VIP event guest, Oct 2025"]


def fold(text):
    """ASCII for an email local part: drop accents, spell out the letters that have none."""
    for a, b in (("ß", "ss"), ("ø", "o"), ("Ø", "O"), ("æ", "ae"), ("Æ", "AE"), ("ł", "l"), ("Ł", "L"),
                 ("đ", "d"), ("Đ", "D"), ("ı", "i"), ("ð", "d"), ("þ", "th"), ("'", ""), (" ", "")):
        text = text.replace(a, b)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


class Generator:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.used_emails = set()
        self.used_leids = set()
        self.used_euids = set()
        self.countries = list(COUNTRIES)
        self.country_weights = [COUNTRIES[c]["weight"] for c in self.countries]

    def pick(self, weighted):
        items, weights = zip(*weighted)
        return self.r.choices(items, weights)[0]

    def digits(self, fmt):
        return fmt.format(*(self.r.randrange(10) for _ in range(fmt.count("{}"))))

    def email(self, first, last):
        for _ in range(100):
            f, l = fold(first), fold(last)
            style = self.r.random()
            if style < 0.40:
                local = f"{f}.{l}"
            elif style < 0.55:
                local = f"{f}{l}"
            elif style < 0.70:
                local = f"{f[0]}.{l}"
            elif style < 0.80:
                local = f"{f}_{l}"
            elif style < 0.92:
                local = f"{f}{self.r.randrange(1, 99)}"
            else:
                local = f"{l}.{f}{self.r.randrange(60, 99)}"
            address = f"{local}@{self.pick(DOMAINS)}"
            if address not in self.used_emails:
                self.used_emails.add(address)
                return address
        raise RuntimeError("ran out of addresses")

    def when(self, start, end):
        """A random moment between start and end, to the second."""
        span = int((end - start).total_seconds())
        return start + dt.timedelta(seconds=self.r.randrange(max(span, 1)))

    def campaign_before(self, moment):
        """One of the last three campaigns sent before the moment (what people unsubscribe from)."""
        sent = [title for when, title in CAMPAIGNS if when <= moment]
        return self.r.choice(sent[-3:])

    def ip(self):
        # The documentation ranges (RFC 5737), never anyone's real address.
        net = self.r.choice(["192.0.2", "198.51.100", "203.0.113"])
        return f"{net}.{self.r.randrange(1, 255)}"

    def unique(self, pool, make):
        while True:
            value = make()
            if value not in pool:
                pool.add(value)
                return value

    def member(self, status):
        r = self.r
        cc = r.choices(self.countries, self.country_weights)[0]
        c = COUNTRIES[cc]
        first, last = r.choice(c["first"]), r.choice(c["last"])
        city, region, postcode, lat, lon, tz, (gmt, dst) = r.choice(c["places"])
        row = dict.fromkeys(UNSUB_HEADER + CLEAN_HEADER[len(BASE_HEADER):], "")
        row["Email Address"] = self.email(first, last)
        if r.random() < 0.96:
            row["First Name"] = first
        if r.random() < 0.93:
            row["Last Name"] = last
        if r.random() < 0.42:
            line2 = r.choice(["", "", f"Apt {r.randrange(1, 40)}", f"Unit {r.randrange(1, 12)}"])
            row["Address"] = "  ".join([f"{r.randrange(1, 990)} {r.choice(c['streets'])}", line2, city, region,
                                        postcode, cc])
        phone = PHONES_BY_CITY.get(city, PHONES.get(cc))
        if phone and r.random() < 0.45:
            row["Phone Number"] = self.digits(phone.replace("{area}", AREA_CODES.get(city, "")))
        if r.random() < 0.31:
            month = r.randrange(1, 13)
            row["Birthday"] = f"{month:02d}/{r.randrange(1, 29 if month == 2 else 31):02d}"
        wholesale = r.random() < 0.07
        if wholesale or r.random() < 0.05:
            company = r.choice(COMPANIES)
            row["Company"] = company
            if r.random() < 0.6:
                slug = fold(company).replace("&", "and").replace(".", "").replace(",", "")
                row["Website"] = r.choice(["https://", "https://www.", "http://"]) + slug[:20] + ".example"

        # Rating: new members start at 2 stars; most audiences sit at 2-3.
        weights = {"subscribed": [2, 11, 33, 31, 15, 8], "unsubscribed": [1, 38, 36, 18, 6, 1],
                   "cleaned": [1, 78, 15, 5, 1, 0]}[status]
        stars = r.choices(range(6), weights)[0]
        row["MEMBER_RATING"] = str(stars) if stars else ""

        # Sign-up: double opt-in (OPTIN + CONFIRM), single opt-in (CONFIRM only) or imported (neither).
        signup = self.when(dt.datetime(2019, 3, 1), NOW - dt.timedelta(days=3))
        kind = r.choices(["double", "single", "imported"], [70, 24, 6])[0]
        if kind == "imported":
            signup = self.when(dt.datetime(2019, 3, 1), dt.datetime(2023, 6, 1))
        else:
            ip = self.ip()
            keep_ip = r.random() < 0.97
            if kind == "double":
                row["OPTIN_TIME"] = signup.strftime("%Y-%m-%d %H:%M:%S")
                row["OPTIN_IP"] = ip if keep_ip else ""
                signup += dt.timedelta(seconds=r.randrange(20, 3 * 3600))
            row["CONFIRM_TIME"] = signup.strftime("%Y-%m-%d %H:%M:%S")
            row["CONFIRM_IP"] = ip if keep_ip else ""

        if r.random() < 0.62:  # Mailchimp locates members from their opens and clicks
            row["LATITUDE"] = f"{lat + r.uniform(-0.05, 0.05):.7f}"
            row["LONGITUDE"] = f"{lon + r.uniform(-0.05, 0.05):.7f}"
            row["GMTOFF"], row["DSTOFF"] = str(gmt), str(dst)
            row["TIMEZONE"], row["CC"], row["REGION"] = tz, cc, region

        start = max(signup, WINDOW_START)
        changed = self.when(start, NOW - dt.timedelta(hours=10))
        if status == "subscribed" and r.random() < 0.35:  # engaged members change often
            changed = self.when(max(start, NOW - dt.timedelta(days=120)), NOW - dt.timedelta(hours=10))
        row["LAST_CHANGED"] = changed.strftime("%Y-%m-%d %H:%M:%S")
        row["LEID"] = str(self.unique(self.used_leids, lambda: r.randrange(100_000_000, 999_999_999)))
        row["EUID"] = self.unique(self.used_euids, lambda: f"{r.getrandbits(40):010x}")
        if r.random() < 0.02:
            row["NOTES"] = r.choice(NOTES)

        tags = [name for name, p in TAGS if r.random() < p]
        if wholesale:
            tags.append("Wholesale")
        if "VIP" in tags and "Customer" not in tags:
            tags.insert(0, "Customer")
        row["TAGS"] = ",".join(f'"{t}"' for t in tags)

        if status == "unsubscribed":
            row["UNSUB_TIME"] = row["LAST_CHANGED"]
            if r.random() < 0.85:  # else unsubscribed by hand or through the preference centre
                row["UNSUB_CAMPAIGN_TITLE"] = self.campaign_before(changed)
                row["UNSUB_CAMPAIGN_ID"] = CAMPAIGN_IDS[row["UNSUB_CAMPAIGN_TITLE"]]
            row["UNSUB_REASON"] = self.pick(UNSUB_REASONS)
            if row["UNSUB_REASON"] == "Other":
                row["UNSUB_REASON_OTHER"] = r.choice(UNSUB_OTHER)
        elif status == "cleaned":
            row["CLEAN_TIME"] = row["LAST_CHANGED"]
            row["CLEAN_CAMPAIGN_TITLE"] = self.campaign_before(changed)
            row["CLEAN_CAMPAIGN_ID"] = CAMPAIGN_IDS[row["CLEAN_CAMPAIGN_TITLE"]]
        return row


# Addresses that will not pass a syntax check: (file, address). Real exports collect these from
# imports and old sign-up forms; cleaned members are where most of them end up.
INVALID = [("subscribed", "jane.doe@example"), ("subscribed", "paul.example.com"),
           ("subscribed", "anna..berg@example.org"), ("subscribed", "tom.h@example,com"),
           ("subscribed", "info@northwind outdoor.example"), ("unsubscribed", "mark@@example.com"),
           ("cleaned", "sam.k@example.123"), ("cleaned", ".rob@example.net"),
           ("cleaned", "chris@-trailmail.example"), ("cleaned", "kim(at)example.com")]

# Case-only duplicates: a later row repeats an earlier subscriber's address in other letter case
# (a second sign-up, or an import that Mailchimp did not merge). (file of the repeat, how to spell it)
DUPLICATES = [("subscribed", str.title), ("subscribed", str.upper), ("subscribed", str.title),
              ("subscribed", lambda a: a[0].upper() + a[1:]), ("unsubscribed", str.title),
              ("cleaned", str.upper)]


def build(seed=SEED):
    g = Generator(seed)
    rows = {s: [] for s in ("subscribed", "unsubscribed", "cleaned")}
    wanted = {"subscribed": N_SUBSCRIBED, "unsubscribed": N_UNSUBSCRIBED, "cleaned": N_CLEANED}
    extra = collections.Counter(f for f, _ in INVALID) + collections.Counter(f for f, _ in DUPLICATES)
    for status in rows:
        for _ in range(wanted[status] - extra[status]):
            rows[status].append(g.member(status))

    # The invalid addresses replace the address of a fresh member each.
    for status, address in INVALID:
        m = g.member(status)
        m["Email Address"] = address
        rows[status].insert(g.r.randrange(len(rows[status]) + 1), m)

    # Duplicates: copy a (valid, not yet copied) subscriber, respell the address, append the copy.
    invalid = {address for _, address in INVALID}
    candidates = [m for m in rows["subscribed"][:1500] if m["Email Address"] not in invalid]
    for status, spell in DUPLICATES:
        original = candidates.pop(g.r.randrange(len(candidates)))
        m = g.member(status)
        for key in ("First Name", "Last Name", "Address", "Phone Number", "Birthday"):
            m[key] = original[key]
        m["Email Address"] = spell(original["Email Address"])
        assert m["Email Address"] != original["Email Address"]
        rows[status].append(m)

    # The newest change is the day before the export, so "last 30 days" is measured from there.
    rows["subscribed"][0]["LAST_CHANGED"] = (NOW - dt.timedelta(hours=12)).strftime("%Y-%m-%d %H:%M:%S")
    return rows


def to_csv(header, rows):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    for row in rows:
        w.writerow([row[h] for h in header])
    return out.getvalue().encode("utf-8")


def write_zip(path, rows):
    entries = [(f"subscribed_members_export_{EXPORT_ID}.csv", to_csv(BASE_HEADER, rows["subscribed"])),
               (f"unsubscribed_members_export_{EXPORT_ID}.csv", to_csv(UNSUB_HEADER, rows["unsubscribed"])),
               (f"cleaned_members_export_{EXPORT_ID}.csv", to_csv(CLEAN_HEADER, rows["cleaned"]))]
    with zipfile.ZipFile(path, "w") as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=NOW.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            z.writestr(info, data, compresslevel=9)


ATEXT = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~")


def valid_address(a):
    """Syntax as Stagecoach checks it (models/contacts/emailaddress.h), for the summary."""
    if not a or len(a.encode()) > 254 or a.count("@") != 1:
        return False
    local, domain = a.split("@")
    if not 1 <= len(local.encode()) <= 64 or local[0] == "." or local[-1] == "." or ".." in local:
        return False
    if any(c not in ATEXT and c != "." and ord(c) < 128 for c in local):
        return False
    labels = domain.split(".")
    if len(labels) < 2 or any(not l or len(l) > 63 or l[0] == "-" or l[-1] == "-" for l in labels):
        return False
    if any(not (c.isalnum() or c == "-") for c in domain.replace(".", "")):
        return False
    return not labels[-1].isdigit()


def summary(rows):
    """The headline figures, worked out from the generated rows (for the README)."""
    total = sum(len(v) for v in rows.values())
    seen, duplicates, invalid = set(), 0, 0
    for status in ("subscribed", "unsubscribed", "cleaned"):
        for row in rows[status]:
            a = row["Email Address"].strip()
            invalid += not valid_address(a)
            key = a.lower()
            if key in seen:
                duplicates += 1
            seen.add(key)
    everyone = [row for v in rows.values() for row in v]
    sub = rows["subscribed"]
    evidence = lambda row: bool(row["OPTIN_TIME"] or row["CONFIRM_TIME"])
    tags = collections.Counter(t.strip('"') for row in everyone for t in row["TAGS"].split('","') if t)
    ratings = collections.Counter(row["MEMBER_RATING"] or "none" for row in everyone)
    ref = max(dt.date.fromisoformat(row["LAST_CHANGED"][:10]) for row in everyone)
    buckets = collections.Counter()
    for row in everyone:
        age = (ref - dt.date.fromisoformat(row["LAST_CHANGED"][:10])).days
        buckets["<=30" if age <= 30 else "31-90" if age <= 90 else "91-180" if age <= 180
                else "181-365" if age <= 365 else ">365"] += 1
    reasons = collections.Counter(row["UNSUB_REASON"] or "(none given)" for row in rows["unsubscribed"])
    filled = {h: sum(1 for row in everyone if row[h].strip()) for h in MERGE_FIELDS}
    lines = [
        f"total {total}: subscribed {len(sub)}, unsubscribed {len(rows['unsubscribed'])}, "
        f"cleaned {len(rows['cleaned'])}",
        f"duplicates {duplicates}, invalid addresses {invalid}",
        f"subscribed with opt-in evidence {sum(map(evidence, sub))} of {len(sub)} "
        f"(without: {len(sub) - sum(map(evidence, sub))}); all rows with evidence "
        f"{sum(map(evidence, everyone))}",
        "OPTIN_TIME {}, OPTIN_IP {}, CONFIRM_TIME {}, CONFIRM_IP {}".format(
            *(sum(1 for row in everyone if row[h]) for h in ("OPTIN_TIME", "OPTIN_IP", "CONFIRM_TIME",
                                                              "CONFIRM_IP"))),
        "ratings " + ", ".join(f"{k}: {ratings[k]}" for k in ("1", "2", "3", "4", "5", "none")),
        f"last changed (reference {ref}): " + ", ".join(
            f"{k}: {buckets[k]}" for k in ("<=30", "31-90", "91-180", "181-365", ">365")),
        "tags " + ", ".join(f"{t}: {n}" for t, n in sorted(tags.items(), key=lambda kv: (-kv[1], kv[0]))),
        "merge fields filled " + ", ".join(f"{h}: {n}" for h, n in filled.items()),
        "unsubscribe reasons " + ", ".join(f"{k}: {n}" for k, n in reasons.most_common()),
    ]
    return "\n".join(lines)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-o", "--output", default=os.path.join(here, "mailchimp-demo-export.zip"))
    ap.add_argument("-q", "--quiet", action="store_true", help="do not print the headline figures")
    args = ap.parse_args()
    rows = build()
    write_zip(args.output, rows)
    if not args.quiet:
        print(f"wrote {args.output}")
        print(summary(rows))


if __name__ == "__main__":
    main()
