"""Word lists for the sandbox generator.

Our own lists (not Faker's, whose output changes between versions), so that a seed names the same
world forever. Editing a list changes the generated world for every seed: do it knowingly.

Some entries are deliberate traps for a cleaner (see docs: source-world.md section 3): first names
`Klaus-D.` and `Hans D.`, the surname `O'Connor`, and non-ASCII letters (`Gießen`, `Jürgen`).
"""

from __future__ import annotations

# --- people -----------------------------------------------------------------------------------

GB_FIRST_NAMES = (
    "Oliver", "George", "Harry", "Jack", "Jacob", "Noah", "Charlie", "Thomas", "Oscar", "William",
    "James", "Henry", "Leo", "Alfie", "Joshua", "Freddie", "Archie", "Ethan", "Isaac", "Alexander",
    "Joseph", "Edward", "Samuel", "Max", "Daniel", "Arthur", "Lucas", "Mohammed", "Logan", "Theo",
    "Olivia", "Amelia", "Isla", "Ava", "Emily", "Sophia", "Grace", "Mia", "Poppy", "Ella",
    "Lily", "Evie", "Isabella", "Sophie", "Ivy", "Freya", "Harper", "Willow", "Charlotte", "Jessica",
    "Ruby", "Daisy", "Chloe", "Phoebe", "Matilda", "Eleanor", "Megan", "Hannah", "Abigail", "Lucy",
    "Gareth", "Siobhan", "Rhys", "Niamh", "Callum", "Eilidh", "Hamish", "Bethan", "Dylan", "Aoife",
)
GB_LAST_NAMES = (
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson",
    "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson",
    "Clarke", "Patel", "Khan", "Lewis", "James", "Phillips", "Mason", "Mitchell", "Rose", "Davis",
    "Rodriguez", "Cox", "Alexander", "Morgan", "Moore", "Lee", "Harris", "Martin", "Cooper", "Ward",
    "Hughes", "Edwards", "Turner", "Hill", "Baker", "Hussain", "Marshall", "Begum", "Knight",
    "Lloyd", "Fletcher", "Parry", "Owen", "Kaur", "Singh", "Murphy", "O'Connor", "O'Brien",
    "McDonald", "MacLeod", "Fraser", "Campbell", "Stewart", "Reid", "Doyle", "Byrne", "Quinn",
    "Ahmed", "Chapman", "Bennett", "Gray", "Fox", "Price", "Holmes", "Barker", "Webb",
)
DE_FIRST_NAMES = (
    "Klaus-D.", "Hans D.", "Jürgen", "Jörg", "Uwe", "Günter", "Dieter", "Horst", "Manfred", "Wolfgang",
    "Hans-Peter", "Karl-Heinz", "Heinz", "Werner", "Helmut", "Gerhard", "Rüdiger", "Björn", "Lukas",
    "Maximilian", "Felix", "Jonas", "Leon", "Finn", "Paul", "Elias", "Ben", "Moritz", "Tobias",
    "Sebastian", "Florian", "Matthias", "Stefan", "Andreas", "Michael", "Thomas", "Frank", "Ralf",
    "Ursula", "Gisela", "Renate", "Monika", "Brigitte", "Ingrid", "Helga", "Käthe", "Gerda",
    "Anna-Lena", "Sophie", "Marie", "Emma", "Mia", "Hannah", "Lea", "Lena", "Laura", "Julia",
    "Katharina", "Sabine", "Petra", "Susanne", "Birgit", "Jana", "Anke", "Dörte", "Hülya", "Zoë",
)
DE_LAST_NAMES = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
    "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
    "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner",
    "Schmitz", "Krause", "Meier", "Lehmann", "Schmid", "Schulze", "Maier", "Köhler", "Herrmann",
    "König", "Walter", "Mayer", "Huber", "Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möller",
    "Weiß", "Jung", "Hahn", "Schubert", "Vogel", "Friedrich", "Keller", "Günther", "Frank", "Berger",
    "Winkler", "Roth", "Beck", "Lorenz", "Baumann", "Franke", "Albrecht", "Groß", "Böhm", "Yılmaz",
    "Öztürk", "Kühn", "Pohl", "Engel", "Horn", "Busch", "Bergmann", "Thomas", "Voigt", "Sauer",
)
US_FIRST_NAMES = (
    "Michael", "Christopher", "Matthew", "Joshua", "David", "Daniel", "Andrew", "Justin", "Ryan",
    "Brandon", "Tyler", "Kevin", "Jason", "Brian", "Eric", "Aaron", "Kyle", "Jose", "Adam", "Nathan",
    "Jennifer", "Ashley", "Jessica", "Amanda", "Sarah", "Stephanie", "Nicole", "Heather", "Elizabeth",
    "Megan", "Melissa", "Amber", "Rachel", "Danielle", "Brittany", "Kayla", "Tiffany", "Crystal",
    "Shannon", "Alexis", "Destiny", "DeShawn", "Tremaine", "Maria", "Guadalupe", "Juan", "Luis",
    "Carlos", "Mary", "Patricia", "Linda", "Barbara", "Robert", "John", "Richard", "Charles",
)
US_LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore",
    "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark",
    "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres",
    "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell",
    "Mitchell", "Carter", "Roberts", "O'Neal", "McCarthy", "Vasquez", "Washington", "Kowalski",
)

# --- user addresses (not the store localities below) ---------------------------------------------

GB_STREET_WORDS = (
    "Church", "Station", "Victoria", "Park", "Mill", "Queen", "King", "Manor", "Green", "Chapel",
    "Windsor", "Albert", "Grange", "Orchard", "Meadow", "Willow", "Cedar", "Oak", "Ash", "Elm",
    "Brook", "Bridge", "Castle", "Abbey", "Priory", "Hawthorn", "Rosemary", "Kingfisher", "Heron",
)
GB_STREET_SUFFIXES = (
    "Road", "Street", "Lane", "Avenue", "Close", "Drive", "Way", "Gardens", "Crescent", "Court",
    "Place", "Mews", "Terrace", "Grove", "Rise", "Walk", "Square", "Hill", "View",
)
GB_FLAT_PREFIXES = ("Flat", "Studio", "Apartment", "Unit")
GB_TOWNS = (
    "London", "Birmingham", "Manchester", "Leeds", "Sheffield", "Bristol", "Liverpool", "Leicester",
    "Coventry", "Bradford", "Nottingham", "Southampton", "Portsmouth", "Brighton", "Plymouth",
    "Reading", "Derby", "Luton", "Wolverhampton", "Milton Keynes", "Swindon", "Norwich", "Oxford",
    "Cambridge", "York", "Glasgow", "Edinburgh", "Aberdeen", "Dundee", "Cardiff", "Swansea",
    "Newport", "Belfast", "Lisburn", "Carlisle", "Truro", "Lincoln", "Ipswich", "Colchester",
    "Port Talbot", "Kirkcaldy", "Ayr", "Bangor", "St Helens", "Weston-super-Mare",
)
GB_POSTCODE_AREAS = (
    "E", "EC", "N", "NW", "SE", "SW", "W", "WC", "B", "M", "LS", "S", "BS", "L", "LE", "CV", "BD",
    "NG", "SO", "PO", "BN", "PL", "RG", "DE", "LU", "WV", "MK", "SN", "NR", "OX", "CB", "YO", "G",
    "EH", "AB", "DD", "CF", "SA", "NP", "BT", "CA", "TR", "LN", "IP", "CO", "KY", "KA", "LL", "WA",
)
GB_PHONE_AREAS = ("0121", "0161", "0113", "0114", "0117", "0151", "0116", "024", "020", "029",
                  "0131", "0141", "01632", "01865", "01223", "01904", "028", "01792")

DE_STREET_STEMS = (
    "Haupt", "Bahnhof", "Schul", "Garten", "Dorf", "Berg", "Kirch", "Wald", "Ring", "Linden",
    "Birken", "Eichen", "Rosen", "Mühlen", "Brücken", "Goethe", "Schiller", "Beethoven", "Mozart",
    "Friedrich-Ebert-", "Heinz-Jürgen-", "Kaiser-Wilhelm-", "Am Markt", "Am Anger", "Lessing",
)
DE_STREET_SUFFIXES = ("straße", "weg", "gasse", "allee", "platz", "ring", "str.")
DE_CITIES = (
    ("Gießen", "35390"), ("Berlin", "10115"), ("Hamburg", "20095"), ("München", "80331"),
    ("Köln", "50667"), ("Frankfurt am Main", "60311"), ("Stuttgart", "70173"),
    ("Düsseldorf", "40213"), ("Leipzig", "04109"), ("Dortmund", "44135"), ("Essen", "45127"),
    ("Bremen", "28195"), ("Dresden", "01067"), ("Hannover", "30159"), ("Nürnberg", "90402"),
    ("Duisburg", "47051"), ("Bochum", "44787"), ("Wuppertal", "42103"), ("Bielefeld", "33602"),
    ("Bonn", "53111"), ("Münster", "48143"), ("Mannheim", "68159"), ("Karlsruhe", "76133"),
    ("Augsburg", "86150"), ("Wiesbaden", "65183"), ("Mönchengladbach", "41061"),
    ("Braunschweig", "38100"), ("Kiel", "24103"), ("Lübeck", "23552"), ("Erfurt", "99084"),
    ("Rostock", "18055"), ("Kassel", "34117"), ("Saarbrücken", "66111"), ("Würzburg", "97070"),
    ("Göttingen", "37073"), ("Regensburg", "93047"), ("Ingolstadt", "85049"), ("Fürth", "90762"),
    ("Ulm", "89073"), ("Heilbronn", "74072"), ("Pforzheim", "75172"), ("Wolfsburg", "38440"),
    ("Bad Kreuznach", "55543"), ("Meißen", "01662"), ("Weißenfels", "06667"), ("Zweibrücken", "66482"),
)
DE_PHONE_AREAS = ("030", "040", "089", "0221", "069", "0711", "0211", "0341", "0641", "04790",
                  "0511", "0911", "0228", "0251", "0621", "0721", "0561", "03581")

US_STREET_NAMES = (
    "Main", "Oak", "Pine", "Maple", "Cedar", "Elm", "Washington", "Lake", "Hill", "Park", "Walnut",
    "Sunset", "Highland", "Madison", "Jefferson", "Lincoln", "Franklin", "Jackson", "Church",
    "Willow", "Meadow", "River", "Spring", "Ridge", "Valley", "Forest", "Mill", "Johnson",
)
US_STREET_SUFFIXES = ("Street", "Avenue", "Road", "Drive", "Lane", "Court", "Boulevard", "Way",
                      "Place", "Terrace", "Parkway", "Circle", "Trail", "Crossing")
US_UNITS = ("Apt.", "Suite")
US_CITIES = (
    ("New York", "NY"), ("Los Angeles", "CA"), ("Chicago", "IL"), ("Houston", "TX"),
    ("Phoenix", "AZ"), ("Philadelphia", "PA"), ("San Antonio", "TX"), ("San Diego", "CA"),
    ("Dallas", "TX"), ("San Jose", "CA"), ("Austin", "TX"), ("Jacksonville", "FL"),
    ("Columbus", "OH"), ("Charlotte", "NC"), ("Indianapolis", "IN"), ("Seattle", "WA"),
    ("Denver", "CO"), ("Boston", "MA"), ("Nashville", "TN"), ("Portland", "OR"),
    ("Las Vegas", "NV"), ("Detroit", "MI"), ("Memphis", "TN"), ("Louisville", "KY"),
    ("Baltimore", "MD"), ("Milwaukee", "WI"), ("Albuquerque", "NM"), ("Tucson", "AZ"),
    ("Fresno", "CA"), ("Sacramento", "CA"), ("Atlanta", "GA"), ("Omaha", "NE"), ("Raleigh", "NC"),
    ("Miami", "FL"), ("Tulsa", "OK"), ("Cleveland", "OH"), ("Wichita", "KS"), ("Boise", "ID"),
)

COMPANY_SUFFIXES = {
    "GB": ("Ltd", "PLC", "and Sons", "Group", "& Co", "LLP", "Partners", "Holdings"),
    "DE": ("GmbH", "AG", "KG", "GmbH & Co. KG", "OHG", "e.G.", "Stiftung & Co. KGaA", "GbR"),
    "US": ("LLC", "Inc", "Group", "PLC", "and Sons", "Ltd", "Corporation", "Partners"),
}
EMAIL_DOMAINS = {
    "GB": ("hotmail.co.uk", "gmail.com", "yahoo.co.uk", "btinternet.com", "outlook.com", "sky.com"),
    "DE": ("web.de", "gmx.de", "t-online.de", "gmail.com", "freenet.de", "yahoo.de", "posteo.de"),
    "US": ("gmail.com", "yahoo.com", "hotmail.com", "aol.com", "outlook.com", "icloud.com"),
}

# Transliteration for e-mail local parts (people type ASCII addresses).
ASCII_FOLD = str.maketrans({
    "ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ë": "e",
    "ı": "i", "'": "", " ": "", ".": "", "-": "",
})

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")

# --- store localities ----------------------------------------------------------------------------
# The seven most common localities (source-world: 14, 13, 12, 11, 10, 10, 10 stores), in that order,
# with their country. The three tied at 10 have plain ASCII names with different first letters, so
# "total desc, locality" sorts them the same under any collation (C, ICU, glibc).
TOP_LOCALITIES = (
    ("Harrogate", "GB"), ("Basingstoke", "GB"), ("Gießen", "DE"), ("Peterborough", "GB"),
    ("Dunfermline", "GB"), ("Kassel", "DE"), ("Stockport", "GB"),
)
# The other localities. The first two letters of every name are ASCII letters (they make the
# store_code prefix); non-ASCII letters come later in the name.
OTHER_LOCALITIES = {
    "GB": (
        "Aberystwyth", "Abingdon", "Aldershot", "Alnwick", "Andover", "Arbroath", "Ashford",
        "Aylesbury", "Banbury", "Barnstaple", "Bedford", "Belper", "Beverley", "Bicester",
        "Bideford", "Blackburn", "Bognor Regis", "Bolton", "Bracknell", "Bridgend", "Bridport",
        "Buxton", "Camborne", "Canterbury", "Carmarthen", "Chelmsford", "Chesterfield",
        "Chichester", "Chippenham", "Clacton-on-Sea", "Colne", "Crawley", "Darlington",
        "Dorchester", "Dover", "Dumfries", "Durham", "Eastbourne", "Ely", "Epsom", "Exeter",
        "Falkirk", "Farnham", "Folkestone", "Frome", "Gainsborough", "Gloucester", "Grantham",
        "Gravesend", "Guildford", "Halifax", "Harlow", "Hastings", "Hereford", "High Wycombe",
        "Hinckley", "Huddersfield", "Inverness", "Kendal", "Kettering", "Kidderminster",
        "Lancaster", "Leamington Spa", "Lichfield", "Llandudno", "Loughborough", "Ludlow",
        "Macclesfield", "Maidstone", "Mansfield", "Margate", "Monmouth", "Newbury", "Newquay",
        "Northallerton", "Nuneaton", "Oban", "Oldham", "Paisley", "Penrith", "Penzance", "Perth",
        "Redditch", "Rochdale", "Rugby", "Rutherglen", "Salisbury", "Scarborough", "Shrewsbury",
        "Skegness", "Stafford", "St Albans", "Stirling", "Taunton", "Telford", "Tewkesbury",
        "Tonbridge", "Truro", "Wakefield", "Warrington", "Wells", "Weymouth", "Whitby", "Wigan",
        "Winchester", "Worcester", "Worthing", "Yeovil",
    ),
    "DE": (
        "Aachen", "Bamberg", "Bad Tölz", "Bayreuth", "Bochum", "Bottrop", "Celle", "Cottbus",
        "Darmstadt", "Dessau-Roßlau", "Detmold", "Eisenach", "Erlangen", "Esslingen", "Flensburg",
        "Fulda", "Gera", "Gotha", "Greifswald", "Großenhain", "Hagen", "Halle (Saale)", "Hameln",
        "Hanau", "Heidelberg", "Herne", "Hildesheim", "Ingolstadt", "Jena", "Kaiserslautern",
        "Kempten", "Koblenz", "Konstanz", "Landshut", "Leverkusen", "Limburg an der Lahn",
        "Ludwigsburg", "Magdeburg", "Mainz", "Marburg", "Meißen", "Minden", "Neumünster",
        "Neuss", "Offenburg", "Oldenburg", "Osnabrück", "Paderborn", "Passau", "Potsdam",
        "Ravensburg", "Recklinghausen", "Remscheid", "Reutlingen", "Rosenheim", "Saarbrücken",
        "Salzgitter", "Schwerin", "Siegen", "Solingen", "Stralsund", "Trier", "Weimar",
        "Weißenfels", "Wetzlar", "Wilhelmshaven", "Witten", "Worms", "Zwickau", "Zweibrücken",
    ),
    "US": (
        "Abilene", "Akron", "Albany", "Amarillo", "Ann Arbor", "Asheville", "Bakersfield",
        "Bay Shore", "Billings", "Boulder", "Burlington", "Cedar Rapids", "Charleston",
        "Chattanooga", "Dayton", "Des Moines", "Dubuque", "Erie", "Eugene", "Fargo", "Flagstaff",
        "Fort Collins", "Gainesville", "Green Bay", "Hartford", "Huntsville", "Knoxville",
        "Lafayette", "Lansing", "Lexington", "Lubbock", "Madison", "Missoula", "Naperville",
        "New Haven", "Norfolk", "Olympia", "Peoria", "Provo", "Reno", "Rochester", "Salem",
        "Savannah", "Spokane", "Syracuse", "Tallahassee", "Topeka", "Waco", "Yonkers",
    ),
}
# Rough bounding boxes (latitude min/max, longitude min/max) for store coordinates.
COUNTRY_BOXES = {
    "GB": (50.2, 57.5, -5.5, 1.6),
    "DE": (47.6, 54.7, 6.1, 14.9),
    "US": (26.0, 47.5, -122.5, -71.0),
}
CONTINENTS = {"GB": "Europe", "DE": "Europe", "US": "America"}

# --- products ------------------------------------------------------------------------------------

PRODUCT_WORDS = {
    "homeware": (
        ("Tiffany", "Habitat", "Dunelm", "Joseph Joseph", "Morphy Richards", "Le Creuset", "Denby",
         "Brabantia", "Salter", "Tower", "Russell Hobbs", "Swan", "Silentnight", "Dreams", "Argos Home"),
        ("Bedside Table Lamp", "Duvet Cover Set", "Memory Foam Pillow", "Cast Iron Casserole",
         "Stainless Steel Kettle", "4 Slice Toaster", "Bath Towel Bale", "Blackout Curtains",
         "Pedal Bin", "Cutlery Set", "Dinner Set", "Floor Lamp", "Rotary Airer", "Storage Ottoman",
         "Wall Mirror", "Rug", "Cushion Cover", "Mattress Topper", "Chest of Drawers",
         "Wardrobe", "Coffee Table", "Bookcase", "Sofa Bed", "Dining Chair Pair", "Shower Curtain"),
        ("Grey", "White", "Oak Effect", "Brushed Steel", "Sage Green", "Double", "King Size",
         "Single", "Set of 2", "Charcoal", "Blush Pink", "Navy", "Walnut", "Chrome", "Cream"),
    ),
    "toys-and-games": (
        ("FurReal", "LEGO City", "Playmobil", "Hasbro", "Mattel", "Hot Wheels", "Nerf", "Barbie",
         "Peppa Pig", "Paw Patrol", "Sylvanian Families", "Ravensburger", "Monopoly", "VTech"),
        ("Dazzlin' Dimples My Playful Dolphin", "Fire Station", "Jigsaw Puzzle 1000 Pieces",
         "Board Game", "Racing Track", "Dream House", "Blaster", "Soft Toy", "Learning Tablet",
         "Family Card Game", "Remote Control Car", "Train Set", "Doll", "Play Tent"),
        ("Classic Edition", "Deluxe", "Junior", "Age 3+", "Age 6+", "Mega Pack", "Travel Size",
         "Starter Set", "Collector's Edition", "Mini"),
    ),
    "food-and-drink": (
        ("Heinz", "Walkers", "Cadbury", "Warburtons", "Twinings", "Yorkshire Tea", "Nescafé",
         "Kellogg's", "McVitie's", "Tropicana", "Innocent", "Lurpak", "Hovis", "Kenco"),
        ("Baked Beans", "Ready Salted Crisps", "Dairy Milk Chocolate", "Toastie White Bread",
         "English Breakfast Tea Bags", "Gold Instant Coffee", "Corn Flakes", "Digestive Biscuits",
         "Smooth Orange Juice", "Butter", "Wholemeal Loaf", "Tomato Ketchup", "Cream of Tomato Soup"),
        ("Multipack", "Family Size", "Large", "Reduced Sugar", "Organic", "Twin Pack", "Value Pack",
         "Original", "Sharing Bag", "Extra Strong"),
    ),
    "pets": (
        ("Whiskas", "Pedigree", "Felix", "Harringtons", "Lily's Kitchen", "Burns", "Bakers",
         "Purina", "Royal Canin", "Kong"),
        ("Adult Dry Cat Food", "Senior Wet Dog Food", "Dental Chews", "Cat Litter", "Dog Bed",
         "Scratching Post", "Chew Toy", "Puppy Food", "Bird Seed Mix", "Fish Flakes"),
        ("Chicken", "Salmon", "Beef", "Lamb and Rice", "Large", "Medium", "Small", "Value Pack"),
    ),
    "sports-and-leisure": (
        ("Slazenger", "Dunlop", "Wilson", "Adidas", "Nike", "Puma", "Karrimor", "Coleman",
         "Halfords", "Regatta"),
        ("Tennis Racket", "Football", "Yoga Mat", "Dumbbell Set", "Camping Tent", "Sleeping Bag",
         "Mountain Bike", "Cricket Bat", "Golf Balls", "Swimming Goggles"),
        ("Size 5", "12 Pack", "2 Person", "4 Person", "Adult", "Junior", "Pro", "Lightweight"),
    ),
    "health-and-beauty": (
        ("Nivea", "Dove", "L'Oréal Paris", "Garnier", "Colgate", "Oral-B", "Gillette", "Boots",
         "Neutrogena", "Simple"),
        ("Moisturising Cream", "Shower Gel", "Shampoo", "Conditioner", "Toothpaste",
         "Electric Toothbrush", "Razor Blades", "Face Wash", "Sun Cream SPF50", "Hand Wash"),
        ("Sensitive", "Original", "For Men", "Extra Care", "Travel Size", "Twin Pack", "Fresh"),
    ),
    "diy": (
        ("Bosch", "Black+Decker", "Stanley", "DeWalt", "Makita", "Ronseal", "Dulux", "Ryobi",
         "Draper", "Einhell"),
        ("Cordless Drill", "Claw Hammer", "Screwdriver Set", "Paint Roller Kit", "Wood Stain",
         "Emulsion Paint", "Spirit Level", "Ladder", "Workbench", "Sander"),
        ("18V", "2.5L", "5L", "6 Piece", "3 Tread", "Brilliant White", "Dark Oak", "Heavy Duty"),
    ),
}
