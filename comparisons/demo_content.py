"""Demo content loaded by `manage.py load_demo`: written for this site, facts from public knowledge."""

CATEGORIES = [
    # (name, slug, description, order)
    (
        "Business",
        "business",
        "Comparisons of business models, industries, services and the terms used in commerce and work.",
        1,
    ),
    (
        "Society and Culture",
        "society-and-culture",
        "How customs, art forms, beliefs and social ideas differ from one another.",
        2,
    ),
    (
        "Health",
        "health",
        "Side-by-side looks at illnesses, germs, fitness and the body, written for general readers.",
        3,
    ),
    (
        "Environment",
        "environment",
        "Comparisons of weather, climate, natural processes and ways of dealing with waste.",
        4,
    ),
    (
        "Entertainment and Music",
        "entertainment-and-music",
        "What separates films, dance forms, stage shows and musical styles.",
        5,
    ),
    (
        "Technology",
        "technology",
        "Devices, computer parts and internet standards compared feature by feature.",
        6,
    ),
    (
        "Language",
        "language",
        "Commonly confused words, punctuation marks and usage between varieties of English.",
        7,
    ),
]

SUBJECTS = {
    # name: short description (one sentence)
    "BPO": "Business Process Outsourcing: handing routine front-office or back-office work to an outside provider.",
    "KPO": "Knowledge Process Outsourcing: contracting out research, analysis and other work that depends on specialist knowledge.",
    "Call Centre": "An office that handles large numbers of incoming or outgoing telephone calls for an organisation.",
    "LPO": "Legal Process Outsourcing: having legal support work such as research and document review done by an outside provider.",
    "Film": "A motion picture; the word is preferred in British English and also names the photographic material itself.",
    "Movie": "A motion picture; a shortening of 'moving picture' that is the everyday word in American English.",
    "Comma": "A punctuation mark (,) that marks a short pause and separates items or parts of a sentence.",
    "Semicolon": "A punctuation mark (;) that links closely related independent clauses or separates complex list items.",
    "Bharatanatyam": "A classical dance form from Tamil Nadu, in southern India, known for its crisp, geometric postures.",
    "Kuchipudi Dance": "A classical dance-drama from Andhra Pradesh, in southern India, named after the village where it developed.",
    "Lenovo IdeaPad Yoga 11": "An 11.6-inch Windows RT convertible from 2012 whose screen folds all the way back to make a tablet.",
    "Dell Latitude 10 Windows Tablet": "A 10.1-inch business tablet from Dell running full Windows 8 on an Intel Atom processor.",
    "Virus": "A microscopic infectious agent that can only multiply inside the living cells of a host.",
    "Bacteria": "Single-celled microorganisms without a nucleus, found almost everywhere, only some of which cause disease.",
    "Cold": "The common cold, a mild viral infection of the nose and throat.",
    "Flu": "Influenza, a contagious respiratory illness caused by influenza viruses.",
    "Aerobic Exercise": "Sustained, rhythmic activity such as jogging or cycling that is powered mainly by oxygen.",
    "Anaerobic Exercise": "Short, intense effort such as sprinting or heavy lifting that briefly outpaces the body's oxygen supply.",
    "Weather": "The state of the atmosphere at a given place and time, from temperature to rain and wind.",
    "Climate": "The long-term average pattern of weather in a region, usually measured over 30 years or more.",
    "Recycling": "Collecting used materials and processing them into raw material for new products.",
    "Upcycling": "Reusing discarded objects or materials to make something of higher value without breaking them down.",
    "Global Warming": "The long-term rise in the average temperature of the Earth's surface.",
    "Climate Change": "Long-term shifts in temperatures and weather patterns, including global warming and its effects.",
    "Opera": "A staged drama in which the story is told mostly or entirely through classically sung music.",
    "Musical": "A form of theatre that combines spoken dialogue with songs and dance, usually in popular styles.",
    "Ethics": "Rules of conduct that a group, profession or society recognises as right or wrong.",
    "Morals": "A person's own principles about what is right and wrong.",
    "RAM": "Random Access Memory, the fast working memory a computer uses for programs and data in use.",
    "ROM": "Read-Only Memory, non-volatile memory that keeps firmware and start-up code when the power is off.",
    "HTTP": "HyperText Transfer Protocol, the basic protocol browsers and web servers use to exchange pages.",
    "HTTPS": "HTTP carried over an encrypted TLS connection, protecting traffic between browser and server.",
    "Affect": "A word that is usually a verb meaning 'to influence or change'.",
    "Effect": "A word that is usually a noun meaning 'a result or consequence'.",
}

COMPARISONS = [
    # 1. BPO vs KPO: the page the site is modelled on.
    {
        "first": "BPO",
        "second": "KPO",
        "categories": ["business"],
        "key_difference": (
            "BPO (Business Process Outsourcing) is the handing over of a business's routine, "
            "rule-based processes to an outside provider. KPO (Knowledge Process Outsourcing) "
            "contracts out work that depends on specialist knowledge, such as research, analysis "
            "and expert judgement."
        ),
        "body": """At first glance BPO and KPO look like two names for the same thing: in both, a company pays an outside firm to do work it would otherwise do itself. The difference lies in the kind of work that moves and in the people needed to do it.

## What is BPO?

BPO stands for Business Process Outsourcing. A company passes a defined business task to a third party, which runs it according to agreed procedures. The work can be front office, such as answering customer calls, or back office, such as entering data or keeping accounts. The idea grew out of manufacturing, where firms had long bought in parts of production; large brands such as Coca-Cola, for example, outsourced big sections of their supply chains.

The practice spread in the late 1980s, when companies began sending parts of their processes to providers in other countries to cut costs. Because most BPO work follows set scripts and procedures, it offers jobs to school leavers and graduates who have good communication skills and basic computer knowledge, and in some countries it has become a popular first job for young people. Typical BPO services include:

- Customer support
- Technical support and help-desk services for employees
- Telemarketing
- Insurance processing
- Data entry and data processing
- Data conversion, scanning, and OCR with editing and indexing
- Bookkeeping and accounting
- Form processing

## What is KPO?

KPO stands for Knowledge Process Outsourcing. It is the newer and more specialised branch of outsourcing, in which the provider applies training and expertise to research, data analysis and other information-based tasks. Much of the work resembles research and development, and providers often serve areas such as capital and insurance markets, law and biotechnology. India and Eastern Europe are well known as KPO destinations. Providers began with tasks like data collection, updating financial models, patent searches and basic data mining, and have since moved into more demanding analytical work. The main KPO segments are:

- Analytics
- Business research
- Design and animation
- Engineering Services Outsourcing (ESO)
- Financial Research Outsourcing (FRO)
- Legal Process Outsourcing (LPO)
- Marketing services
- Market Research Outsourcing (MRO)
- Publishing outsourcing

Both models help companies run leaner and cheaper, but they differ in focus, process, specialisation, driving force, the activities involved and how much contact the provider has with the client's customers.

## In a nutshell

KPO can be seen as an outgrowth of BPO: it takes outsourcing from following procedures to applying knowledge. BPO rewards clear communication and careful routine work, while a career in KPO calls for deeper subject knowledge and stronger analytical skills.""",
        "rows": [
            ("Stands for", "Business Process Outsourcing", "Knowledge Process Outsourcing"),
            (
                "Skills required",
                "Good communication skills and basic computer knowledge",
                "Specialised knowledge of a field and strong analytical ability",
            ),
            ("Level of service", "Low-end, routine services", "High-end, specialised services"),
            (
                "Process",
                "Follows pre-defined procedures and scripts",
                "Needs judgement and an understanding of the client's business",
            ),
            (
                "Workforce",
                "Staff need not be highly qualified; training is given on the job",
                "Qualified professionals such as analysts, researchers, engineers and lawyers",
            ),
            (
                "Focus",
                "Low-complexity, high-volume processes",
                "High-complexity, knowledge-based processes",
            ),
            ("Driving force", "Volume and cost savings", "Knowledge and expertise"),
            (
                "Client contact",
                "Extensive contact with the client's customers, often by phone",
                "Less contact with customers, closer work with the client itself",
            ),
            ("Expertise in", "Processes", "Knowledge"),
        ],
        "image_alt": (
            "Illustration split in two: on the left a row of call-centre agents wearing headsets "
            "labelled BPO, on the right analysts studying charts and documents labelled KPO."
        ),
        "credits": [("tvtworld.com", ""), ("vardhmansoft.com", "")],
        "days_ago": 1,
    },
    # 2. Film vs Movie
    {
        "first": "Film",
        "second": "Movie",
        "categories": ["entertainment-and-music", "language"],
        "key_difference": (
            "Film and movie both mean a motion picture. 'Film' is the usual word in British English "
            "and often sounds more artistic or formal, while 'movie' is the everyday American word."
        ),
        "body": """For most purposes the two words are interchangeable: a two-hour story shown in a cinema can be called either. The differences are about where a word is used, how it sounds and what else it can mean.

## Where the words come from

'Film' originally meant a thin skin or coating. When photographic film, a strip of plastic coated with light-sensitive emulsion, became the medium for moving pictures, the word came to stand for the pictures themselves. 'Movie' appeared in the early twentieth century as a casual shortening of 'moving picture' and caught on first in the United States.

## How they are used today

- British and Commonwealth speakers usually say 'film' and go to 'the cinema'; Americans usually say 'movie' and go to 'the movies' or a 'movie theater'.
- 'Film' is favoured in academic and critical settings, as in film studies, film festivals and film criticism.
- 'Movie' tends to sound informal and is often linked with popular, commercial entertainment.
- 'Film' has other meanings: the photographic material, a thin layer (a film of oil) and the verb 'to film'. 'Movie' has no such extra senses.

Some people draw a further line, using 'film' for serious or artistic work and 'movie' for lighter entertainment, but this is a matter of taste rather than a rule.""",
        "rows": [
            ("Meaning", "A motion picture", "A motion picture"),
            (
                "Origin",
                "From the photographic strip on which moving pictures were recorded",
                "A shortening of 'moving picture', from the early twentieth century",
            ),
            ("Preferred in", "British and Commonwealth English", "American English"),
            ("Tone", "Neutral to formal; often suggests artistic work", "Informal and everyday"),
            (
                "Other meanings",
                "Photographic material, a thin layer, and the verb 'to film'",
                "None; it refers only to motion pictures",
            ),
            (
                "Related words",
                "Filmmaker, film-goer, film studies",
                "Moviegoer, movie theater, movie star",
            ),
        ],
        "image_alt": (
            "A strip of old photographic film on one side and a tub of popcorn with a cinema ticket "
            "marked 'movie' on the other."
        ),
        "credits": [("Demo illustration", "https://example.org/images/film-and-movie")],
        "days_ago": 4,
    },
    # 3. Comma vs Semicolon
    {
        "first": "Comma",
        "second": "Semicolon",
        "categories": ["language"],
        "key_difference": (
            "A comma marks a short pause and separates items or parts of a sentence. A semicolon is "
            "a stronger mark that joins two closely related complete sentences or separates list "
            "items that already contain commas."
        ),
        "body": """The comma and the semicolon both break up a sentence, but they do different jobs. Choosing the wrong one can produce a run-on sentence or a confusing list.

## When to use a comma

- To separate items in a simple list: 'We bought apples, pears and plums.'
- Before a conjunction such as 'and', 'but' or 'so' that joins two complete clauses: 'It was late, but the shop was still open.'
- After an introductory word or phrase: 'After lunch, we walked home.'
- Around extra information that could be removed: 'My brother, who lives in Leeds, is visiting.'

## When to use a semicolon

A semicolon joins two complete clauses that are closely linked in meaning when there is no conjunction between them: 'The rain stopped; the match resumed.' It is also used before linking adverbs such as 'however' or 'therefore', and to separate items in a list when the items contain commas of their own: 'The tour visits Paris, France; Rome, Italy; and Vienna, Austria.'

A useful test is that the words on each side of a semicolon should normally be able to stand as sentences on their own. Joining two such clauses with only a comma, known as a comma splice, is usually considered an error in formal writing.""",
        "rows": [
            ("Symbol", ",", ";"),
            ("Strength of pause", "Short", "Longer than a comma, shorter than a full stop"),
            (
                "Joins independent clauses",
                "Only together with a conjunction such as 'and' or 'but'",
                "Yes, without a conjunction",
            ),
            ("In lists", "Separates simple items", "Separates items that contain commas"),
            (
                "Other uses",
                "After introductory phrases, around extra information, in numbers and dates",
                "Before linking adverbs such as 'however' and 'therefore'",
            ),
            ("Frequency", "Very common", "Much less common"),
        ],
        "image_alt": "A large comma and a large semicolon printed side by side on a sheet of lined paper.",
        "credits": [("Demo illustration", "")],
        "days_ago": 6,
    },
    # 4. Bharatanatyam vs Kuchipudi Dance
    {
        "first": "Bharatanatyam",
        "second": "Kuchipudi Dance",
        "categories": ["society-and-culture", "entertainment-and-music"],
        "key_difference": (
            "Bharatanatyam comes from Tamil Nadu and is known for precise, angular postures, "
            "traditionally danced solo. Kuchipudi comes from Andhra Pradesh, grew out of dance-drama "
            "performed by troupes, and is more fluid, quick and theatrical."
        ),
        "body": """Bharatanatyam and Kuchipudi are both classical dances of southern India. Both are danced to Carnatic music, draw on the ancient treatise on performance known as the Natya Shastra, and combine pure rhythmic dance with expressive storytelling through gesture and facial expression. Their histories and styles, however, are quite different.

## Bharatanatyam

Bharatanatyam developed in the temples and courts of Tamil Nadu, where it was performed by women dancers. Its concert format was shaped in the nineteenth century by the Thanjavur Quartet, and it was revived and brought to the modern stage in the twentieth century by figures such as Rukmini Devi Arundale. It is usually performed solo and is recognised by its straight lines, sculptural poses and the half-sitting position called araimandi.

## Kuchipudi

Kuchipudi takes its name from a village in the Krishna district of Andhra Pradesh. Tradition credits Siddhendra Yogi with founding it, and for centuries it was performed by troupes of male Brahmin dancers as dance-drama. Today it is danced by women and men, both solo and in groups. Its distinctive features include:

- Faster, more rounded and flowing movements
- Dancers who may speak or sing lines as well as dance
- The tarangam, in which the dancer performs on the rim of a brass plate, sometimes with a pot of water balanced on the head
- Songs mostly in Telugu

Bharatanatyam's repertoire, by contrast, uses songs in Tamil, Telugu and Sanskrit. Costumes also differ subtly: the Bharatanatyam costume usually has several fan-like pleats of different lengths, while the Kuchipudi costume usually has a single, longer fan.""",
        "rows": [
            ("Region of origin", "Tamil Nadu", "Andhra Pradesh"),
            (
                "Traditional performers",
                "Women dancers attached to temples and courts",
                "Troupes of male Brahmin dancers",
            ),
            ("Usual format", "Mostly solo", "Solo or group dance-drama"),
            (
                "Style of movement",
                "Angular, geometric, with sculptural poses",
                "Rounded, fluid and quick",
            ),
            ("Speech and song by dancers", "No", "Dancers may speak or sing"),
            ("Language of songs", "Tamil, Telugu and Sanskrit", "Mainly Telugu"),
            (
                "Signature feature",
                "The half-sitting araimandi posture",
                "Tarangam, dancing on the rim of a brass plate",
            ),
            (
                "Costume",
                "Several fan pleats of different lengths",
                "Usually a single, longer fan pleat",
            ),
        ],
        "image_alt": (
            "Two classical Indian dancers side by side: a Bharatanatyam dancer in a sharp half-sitting "
            "pose and a Kuchipudi dancer balancing on the rim of a brass plate."
        ),
        "credits": [("Demo illustration", "https://example.org/images/indian-classical-dance")],
        "days_ago": 9,
    },
    # 5. Lenovo IdeaPad Yoga 11 vs Dell Latitude 10 Windows Tablet
    {
        "first": "Lenovo IdeaPad Yoga 11",
        "second": "Dell Latitude 10 Windows Tablet",
        "categories": ["technology"],
        "key_difference": (
            "The Lenovo IdeaPad Yoga 11 is a convertible laptop with a fold-back screen that runs "
            "Windows RT on an ARM processor. The Dell Latitude 10 is a lighter slate tablet that runs "
            "full Windows 8 on an Intel Atom chip and can run ordinary desktop software."
        ),
        "body": """Both devices arrived around the launch of Windows 8 in late 2012 and both try to blend a tablet with a PC, but they take opposite approaches.

## Lenovo IdeaPad Yoga 11

The Yoga 11 is a small laptop with an 11.6-inch touchscreen on a hinge that rotates through 360 degrees, so it can be used as a notebook, propped up as a stand or tent, or folded flat into a tablet. It runs Windows RT on a quad-core NVIDIA Tegra 3 processor. That gives it long battery life, but Windows RT only runs apps from the Windows Store plus the bundled Office apps, not traditional desktop programs.

## Dell Latitude 10

The Latitude 10 is a 10.1-inch slate aimed at businesses. It runs the full Windows 8 or Windows 8 Pro on a dual-core Intel Atom Z2760, so it can install standard Windows software and fit into company networks. Its main selling points are:

- A user-replaceable battery, with a larger optional battery available
- A rear camera as well as a front one
- An optional docking station for use at a desk
- A much lighter body than the Yoga 11

In short, the Yoga 11 suits someone who wants a keyboard always attached and mostly uses web and store apps, while the Latitude 10 suits a business user who needs a true tablet that can still run existing Windows programs.""",
        "rows": [
            (
                "Form factor",
                "Convertible laptop with a 360-degree hinge",
                "Slate tablet with optional dock",
            ),
            ("Operating system", "Windows RT", "Windows 8 or Windows 8 Pro"),
            ("Processor", "NVIDIA Tegra 3, quad-core (ARM)", "Intel Atom Z2760, dual-core (x86)"),
            ("Display", "11.6-inch, 1366 x 768 touchscreen", "10.1-inch, 1366 x 768 touchscreen"),
            ("Memory", "2 GB", "2 GB"),
            ("Desktop software", "Not supported; Windows Store apps only", "Supported"),
            ("Battery", "Built in", "User-replaceable, with an optional larger battery"),
            ("Weight", "About 1.3 kg", "About 0.66 kg"),
        ],
        "image_alt": (
            "A Lenovo IdeaPad Yoga 11 with its screen folded back next to a Dell Latitude 10 slate "
            "tablet standing upright."
        ),
        "credits": [("Demo illustration", "")],
        "days_ago": 12,
    },
    # 6. BPO vs Call Centre
    {
        "first": "BPO",
        "second": "Call Centre",
        "categories": ["business"],
        "key_difference": (
            "BPO is the broad practice of outsourcing any business process, from payroll to "
            "customer service. A call centre is one kind of operation, handling high volumes of phone "
            "calls, and it may be run in-house or by a BPO provider."
        ),
        "body": """People often use 'BPO' and 'call centre' as if they meant the same thing, because many outsourcing jobs are in call centres. In fact one is a business model and the other is a type of workplace.

## How they relate

BPO covers every process a company hands to an outside provider. Alongside customer-facing work it includes back-office tasks such as:

- Payroll and human resources administration
- Bookkeeping and accounts payable
- Data entry and document processing
- Claims and insurance processing

A call centre, by contrast, exists to handle inbound calls (customer queries, orders, complaints) or outbound calls (sales, surveys, reminders). Many now also answer email, chat and social media messages, in which case they are often called contact centres. A bank or airline may run its own call centre, which involves no outsourcing at all; when the centre is run by an outside firm, it is one of the services that firm provides under BPO.

Put simply, every outsourced call centre is part of the BPO industry, but BPO reaches far beyond call centres.""",
        "rows": [
            (
                "What it is",
                "A business model: outsourcing processes",
                "A facility that handles phone calls in volume",
            ),
            ("Scope", "Front-office and back-office processes", "Mainly customer communication"),
            ("Ownership", "Always involves an outside provider", "Can be in-house or outsourced"),
            (
                "Main channels",
                "Phone, email, documents, data systems",
                "Phone, increasingly with email and chat",
            ),
            (
                "Typical work",
                "Payroll, accounting, data entry, customer support",
                "Customer service, sales, technical help, surveys",
            ),
            ("Key skills", "Vary with the process outsourced", "Spoken communication and patience"),
        ],
        "image_alt": (
            "On the left a diagram of office tasks such as payroll, accounts and data entry labelled "
            "BPO; on the right rows of agents with headsets labelled Call Centre."
        ),
        "credits": [("Demo illustration", "https://example.org/images/bpo-call-centre")],
        "days_ago": 3,
    },
    # 7. KPO vs LPO
    {
        "first": "KPO",
        "second": "LPO",
        "categories": ["business"],
        "key_difference": (
            "KPO covers all outsourcing of knowledge-based work, from analytics to engineering. LPO "
            "is one specialised segment of KPO that deals only with legal work and is staffed by "
            "people with legal training."
        ),
        "body": """Legal Process Outsourcing is usually counted as a branch of Knowledge Process Outsourcing. Both send skilled, judgement-heavy work to outside providers, but LPO is narrower and carries its own professional rules.

## The wider field: KPO

KPO providers do research and analysis for clients in many fields: financial research, market research, data analytics, engineering design and publishing among them. Staff are typically graduates or postgraduates in the relevant subject.

## The legal niche: LPO

LPO providers serve law firms and corporate legal departments. Common services include:

- Legal research and drafting of memos
- Document review and support for e-discovery in litigation
- Contract drafting, review and management
- Patent searches and intellectual property support
- Paralegal and legal transcription work

Because legal work touches client confidentiality and rules on who may practise law, LPO is usually organised so that lawyers qualified in the client's jurisdiction supervise the work and remain responsible for the final advice. India is one of the best-known destinations for both KPO and LPO, helped by a large pool of English-speaking graduates and a common-law legal tradition.""",
        "rows": [
            ("Stands for", "Knowledge Process Outsourcing", "Legal Process Outsourcing"),
            ("Scope", "Any knowledge-based work", "Legal work only"),
            ("Relationship", "The wider category", "One segment of KPO"),
            (
                "Typical clients",
                "Banks, consultancies, manufacturers, publishers",
                "Law firms and corporate legal departments",
            ),
            (
                "Workforce",
                "Analysts, researchers, engineers, designers",
                "Lawyers, law graduates and paralegals",
            ),
            (
                "Special concerns",
                "Data security and quality of analysis",
                "Confidentiality, privilege and rules on practising law",
            ),
        ],
        "image_alt": (
            "A large circle labelled KPO containing icons for charts, research and design, with a "
            "smaller circle inside it labelled LPO showing scales of justice and a law book."
        ),
        "credits": [("Demo illustration", "")],
        "days_ago": 5,
    },
    # 8. Virus vs Bacteria
    {
        "first": "Virus",
        "second": "Bacteria",
        "categories": ["health"],
        "key_difference": (
            "Bacteria are living single-celled organisms that can reproduce on their own, and "
            "bacterial infections can often be treated with antibiotics. Viruses are far smaller, can "
            "only multiply inside a host's cells, and are not affected by antibiotics."
        ),
        "body": """Viruses and bacteria can both cause infections with similar symptoms, such as fever and sore throat, but they are very different things.

## Bacteria

Bacteria are complete living cells, usually around 0.5 to 5 micrometres long, with a cell membrane, often a cell wall, and their own machinery for making proteins. They reproduce by splitting in two. Most bacteria are harmless or useful: they live in the gut and on the skin, help digest food, ferment foods such as yoghurt and return nutrients to the soil. A minority cause disease, such as strep throat, tuberculosis and many urinary tract infections.

## Viruses

A virus is essentially genetic material (DNA or RNA) wrapped in a protein coat, sometimes with an outer envelope. Most are tens to a few hundred nanometres across, far smaller than bacteria, and nearly all can only be seen with an electron microscope. A virus has no metabolism of its own; it must enter a host cell and use that cell to copy itself. Colds, flu, measles and COVID-19 are viral.

## Why the difference matters

- Antibiotics work against bacteria but do nothing against viruses, so taking them for a cold does not help and adds to antibiotic resistance.
- Some viral infections can be treated with antiviral drugs, and many are prevented with vaccines.
- Vaccines also exist against several bacterial diseases, such as tetanus and whooping cough.

Only a health professional can tell which kind of infection someone has, sometimes with the help of a test.""",
        "rows": [
            ("Living organism", "Not usually considered alive outside a host", "Yes"),
            (
                "Structure",
                "Genetic material in a protein coat",
                "Single cell with membrane, cytoplasm and ribosomes",
            ),
            ("Typical size", "About 20 to 300 nanometres", "About 0.5 to 5 micrometres"),
            ("Reproduction", "Only inside a host cell", "On its own, by dividing in two"),
            ("Treatment", "Antivirals for some; antibiotics do not work", "Antibiotics"),
            ("Helpful kinds", "Rare", "Many, such as gut bacteria"),
            (
                "Example diseases",
                "Cold, flu, measles, COVID-19",
                "Strep throat, tuberculosis, cholera",
            ),
        ],
        "image_alt": (
            "Magnified drawing of a rod-shaped bacterium next to a much smaller, spiky round virus, "
            "drawn to show the difference in size."
        ),
        "credits": [("Demo illustration", "https://example.org/images/virus-bacteria")],
        "days_ago": 8,
    },
    # 9. Cold vs Flu
    {
        "first": "Cold",
        "second": "Flu",
        "categories": ["health"],
        "key_difference": (
            "Both are viral infections of the airways, but a cold comes on gradually and mostly "
            "affects the nose and throat, while flu usually strikes suddenly with fever, aches and "
            "exhaustion and is more likely to cause serious complications."
        ),
        "body": """Colds and flu share many symptoms, which is why they are easily confused. They are caused by different viruses, however, and flu is generally the more serious illness.

## Causes

The common cold can be caused by more than a hundred different viruses, rhinoviruses being the most common. Flu is caused by influenza viruses, mainly types A and B, which change from year to year.

## Telling them apart

- Onset: a cold builds up over a day or two; flu often hits within a few hours.
- Fever: uncommon or mild with a cold; common and often high with flu.
- Aches and tiredness: slight with a cold; marked with flu, and tiredness can last for weeks.
- Runny or stuffy nose and sneezing: typical of a cold; less prominent with flu.

Most colds clear up within a week or so with rest and fluids. Flu can lead to complications such as pneumonia, especially in older people, young children, pregnant women and people with long-term conditions. A yearly flu vaccine is available and recommended for many groups, and antiviral medicines can help some patients if taken early; there is no vaccine for the common cold. Anyone with breathing difficulty, chest pain or symptoms that keep getting worse should seek medical advice.""",
        "rows": [
            ("Cause", "Many viruses, mostly rhinoviruses", "Influenza viruses A and B"),
            ("Onset", "Gradual", "Sudden"),
            ("Fever", "Rare or mild", "Common, often high"),
            ("Body aches", "Slight", "Common and often severe"),
            ("Tiredness", "Mild", "Marked, can last weeks"),
            ("Sneezing and stuffy nose", "Common", "Sometimes"),
            (
                "Complications",
                "Uncommon, e.g. sinus or ear infections",
                "Can include pneumonia and hospital stays",
            ),
            ("Vaccine", "None", "Yearly flu vaccine"),
        ],
        "image_alt": (
            "Two people side by side: one sneezing into a tissue with a mild cold, the other in bed "
            "with a thermometer and a blanket, showing flu."
        ),
        "credits": [("Demo illustration", "")],
        "days_ago": 14,
    },
    # 10. Aerobic vs Anaerobic Exercise
    {
        "first": "Aerobic Exercise",
        "second": "Anaerobic Exercise",
        "categories": ["health"],
        "key_difference": (
            "Aerobic exercise is steady activity that the body can fuel with oxygen for a long time, "
            "such as jogging or swimming. Anaerobic exercise is short, intense effort, such as "
            "sprinting or heavy lifting, that needs energy faster than oxygen can supply it."
        ),
        "body": """The words 'aerobic' and 'anaerobic' describe how the muscles get their energy. Most activities use both systems, but one usually dominates depending on how hard and how long you work.

## Aerobic exercise

In aerobic exercise the heart and lungs deliver enough oxygen for the muscles to burn carbohydrate and fat steadily, producing carbon dioxide and water. The effort is moderate and can be kept up for many minutes or hours. Examples include:

- Brisk walking, jogging and running long distances
- Cycling and swimming at a steady pace
- Rowing, dancing and aerobics classes

## Anaerobic exercise

In anaerobic exercise the demand for energy rises so quickly that the muscles rely on stored phosphocreatine and on breaking down glucose without oxygen, which produces lactate. The effort can only be kept up for seconds to a couple of minutes before you must slow down. Sprinting, weightlifting, jumping and the hard phases of interval training are typical examples.

Aerobic training mainly improves heart and lung fitness and endurance, while anaerobic training mainly builds strength, power and speed. Health guidelines, including those of the World Health Organization, recommend both: at least 150 minutes of moderate aerobic activity a week for adults, plus muscle-strengthening work on two or more days.""",
        "rows": [
            (
                "Use of oxygen",
                "Energy produced mainly with oxygen",
                "Energy produced faster than oxygen can supply",
            ),
            ("Intensity", "Low to moderate", "High to maximal"),
            ("Duration", "Minutes to hours", "Seconds to about two minutes per bout"),
            ("Main fuel", "Carbohydrate and fat", "Phosphocreatine and glucose"),
            ("By-products", "Carbon dioxide and water", "Lactate"),
            ("Main benefits", "Endurance and heart and lung health", "Strength, power and speed"),
            ("Examples", "Jogging, cycling, swimming", "Sprinting, weightlifting, jumping"),
        ],
        "image_alt": (
            "A runner jogging steadily along a park path on the left and a weightlifter mid-lift in a "
            "gym on the right."
        ),
        "credits": [("Demo illustration", "https://example.org/images/aerobic-anaerobic")],
        "days_ago": 17,
    },
    # 11. Weather vs Climate
    {
        "first": "Weather",
        "second": "Climate",
        "categories": ["environment"],
        "key_difference": (
            "Weather is the state of the atmosphere over hours or days at a particular place. Climate "
            "is the average pattern of weather in a region over a long period, usually 30 years or more."
        ),
        "body": """Weather and climate describe the same things, such as temperature, rain, wind and cloud, but over very different stretches of time. A common way to put it is that climate is what you expect, and weather is what you get.

## Weather

Weather is what is happening in the atmosphere now or in the next few days: a sunny morning, an afternoon thunderstorm, a cold snap next week. It can change within hours. Meteorologists measure it with weather stations, balloons, radar and satellites, and computer models allow fairly reliable forecasts up to about a week ahead.

## Climate

Climate summarises the weather of a place over decades. The World Meteorological Organization uses 30-year periods as the standard for calculating climate averages. Climatologists describe a region's climate by its typical values and ranges, for example:

- Average temperatures for each month and season
- Typical yearly rainfall and when it falls
- How often extremes such as heatwaves, droughts and storms occur

A single cold winter does not disprove a warming climate, and one hot summer does not prove it; climate change is seen in the long-term trend rather than in any one day's weather.""",
        "rows": [
            (
                "Definition",
                "Atmospheric conditions at a given place and time",
                "Average weather pattern of a region over time",
            ),
            ("Time scale", "Minutes to days or weeks", "Decades, usually 30-year averages"),
            ("How quickly it changes", "Within hours", "Over decades or longer"),
            (
                "Predicted by",
                "Weather forecasts, up to about a week ahead",
                "Climate models, as long-term trends",
            ),
            ("Studied in", "Meteorology", "Climatology"),
            ("Example", "A thunderstorm this afternoon", "Hot, dry summers and mild, wet winters"),
        ],
        "image_alt": (
            "On the left a single day's sky with a rain cloud and umbrella; on the right a world map "
            "shaded by climate zones with a calendar beside it."
        ),
        "credits": [("Demo illustration", "")],
        "days_ago": 20,
    },
    # 12. Recycling vs Upcycling
    {
        "first": "Recycling",
        "second": "Upcycling",
        "categories": ["environment"],
        "key_difference": (
            "Recycling breaks used materials down into raw material to make new products. Upcycling "
            "keeps an object or material largely intact and turns it into something of greater value "
            "or usefulness."
        ),
        "body": """Both recycling and upcycling keep waste out of landfill, but they work in opposite ways: one dismantles materials, the other reimagines objects.

## Recycling

Recycling is an industrial process. Paper, glass, metals and plastics are collected, sorted, cleaned and then pulped, melted or shredded to make raw material for new goods. It saves natural resources, and for some materials, such as aluminium, it uses far less energy than making them from scratch. Other materials, especially many plastics and paper, lose some quality each time, so the new product is often of lower value, which is sometimes called downcycling.

## Upcycling

Upcycling, a term that became popular in the 1990s, gives an item a new life without breaking it down. It is usually done by individuals, craftspeople and small designers. Familiar examples include:

- Turning wooden pallets into garden furniture
- Sewing old jeans into bags or patchwork
- Using glass jars as lamps or planters
- Making tote bags from old banners

Because it skips the energy-hungry processing stage, upcycling generally has a smaller footprint per item, but it cannot handle waste on the scale that municipal recycling does. In the waste hierarchy both come after reducing waste; upcycling counts as a form of reuse, which ranks above recycling.""",
        "rows": [
            ("Process", "Material is broken down and remade", "Item is reused largely as it is"),
            (
                "Resulting value",
                "Often the same or lower quality",
                "Usually higher value or usefulness",
            ),
            ("Energy needed", "Often considerable, at industrial plants", "Usually little"),
            ("Scale", "Large, municipal and industrial", "Small, craft and do-it-yourself"),
            (
                "Who does it",
                "Councils and recycling companies",
                "Individuals, artisans and designers",
            ),
            (
                "Examples",
                "Plastic bottles into fibre, cans into new cans",
                "Pallets into furniture, jeans into bags",
            ),
        ],
        "image_alt": (
            "A recycling bin full of crushed cans and bottles on one side and a colourful chair made "
            "from an old wooden pallet on the other."
        ),
        "credits": [("Demo illustration", "https://example.org/images/recycling-upcycling")],
        "days_ago": 23,
    },
    # 13. Global Warming vs Climate Change
    {
        "first": "Global Warming",
        "second": "Climate Change",
        "categories": ["environment"],
        "key_difference": (
            "Global warming is the long-term rise in the Earth's average surface temperature. Climate "
            "change is the broader term for long-term shifts in climate, including that warming and "
            "its effects on rainfall, ice, sea level and extreme weather."
        ),
        "body": """The two phrases are often used as synonyms, but scientists treat global warming as one part of the larger picture described by climate change.

## Global warming

Global warming refers specifically to the increase in the planet's average surface temperature since the late nineteenth century. The main cause is the build-up of greenhouse gases, above all carbon dioxide from burning fossil fuels, which trap extra heat in the atmosphere. The Intergovernmental Panel on Climate Change (IPCC) reports that the world has warmed by roughly 1.1 degrees Celsius compared with pre-industrial times.

## Climate change

Climate change covers every long-term change in the climate system. The climate has changed naturally throughout Earth's history because of volcanic eruptions, changes in the Sun's output and slow cycles in the Earth's orbit, but today the term usually means the changes driven by human activity. Besides rising temperatures, these include:

- Rising sea levels as oceans warm and ice melts
- Shrinking glaciers, ice sheets and Arctic sea ice
- Shifts in rainfall, with more droughts in some places and heavier downpours in others
- More frequent and intense heatwaves

'Global warming' became a widely used phrase in the 1980s, while many scientists and organisations now prefer 'climate change' because it describes the full range of effects, not only temperature.""",
        "rows": [
            (
                "Meaning",
                "Rise in the Earth's average surface temperature",
                "Long-term shifts in climate patterns",
            ),
            ("Scope", "One aspect", "Wider term that includes global warming"),
            (
                "Main measure",
                "Global average temperature",
                "Temperature, rainfall, sea level, ice and extremes",
            ),
            (
                "Causes",
                "Mainly greenhouse gases from human activity",
                "Human activity and natural factors",
            ),
            (
                "Time frame",
                "Since the late nineteenth century",
                "Throughout Earth's history, especially today",
            ),
            (
                "Usage",
                "Popular since the 1980s",
                "Preferred by many scientists, as in the IPCC's name",
            ),
        ],
        "image_alt": (
            "A thermometer rising over a globe on the left; on the right the same globe surrounded by "
            "icons for melting ice, floods, drought and storms."
        ),
        "credits": [("Demo illustration", "")],
        "days_ago": 27,
    },
    # 14. Opera vs Musical
    {
        "first": "Opera",
        "second": "Musical",
        "categories": ["entertainment-and-music", "society-and-culture"],
        "key_difference": (
            "In an opera the story is told mostly or entirely through classically trained singing "
            "with an orchestra. A musical mixes spoken dialogue with songs and dance, usually in "
            "popular styles and with amplified voices."
        ),
        "body": """Opera and musical theatre both tell stories through music on stage, and the boundary between them is sometimes blurred. Their origins, singing styles and performance traditions are nonetheless distinct.

## Opera

Opera began in Italy around 1600, with Monteverdi's L'Orfeo (1607) among the earliest works still performed. The music carries the drama almost throughout, with sung recitative in place of spoken lines. Singers use a classical technique that lets an unamplified voice carry over a full orchestra, and works are often performed in their original language, such as Italian, German or French, with surtitles. Famous examples include Carmen, La Traviata and The Magic Flute.

## Musical

The musical grew up in the late nineteenth and early twentieth centuries out of operetta, music hall and vaudeville, and flourished on Broadway and in London's West End. Typical features are:

- Spoken scenes alternating with songs
- Dance and choreography as a central element
- Popular musical styles, from jazz and pop to rock and hip-hop
- Microphones to amplify performers
- Long runs of eight performances a week

Exceptions exist on both sides: some operas and operettas include spoken dialogue, and some musicals, such as Les Miserables, are sung almost all the way through. Well-known musicals include Oklahoma!, West Side Story and The Phantom of the Opera.""",
        "rows": [
            (
                "Origin",
                "Italy, around 1600",
                "Late 19th and early 20th century, Broadway and the West End",
            ),
            ("Dialogue", "Mostly sung, including recitative", "Spoken scenes between songs"),
            (
                "Singing style",
                "Classical, usually unamplified",
                "Varied, from classical to pop, amplified",
            ),
            ("Role of dance", "Occasional", "Central"),
            (
                "Language",
                "Often the original language, with surtitles",
                "Usually the audience's language",
            ),
            (
                "Performance schedule",
                "A few performances a week, often in repertory",
                "Long runs of eight shows a week",
            ),
            (
                "Examples",
                "Carmen, La Traviata, The Magic Flute",
                "Oklahoma!, West Side Story, Les Miserables",
            ),
        ],
        "image_alt": (
            "An opera singer in a period costume singing before an orchestra pit, beside a line of "
            "musical theatre performers dancing under bright stage lights."
        ),
        "credits": [("Demo illustration", "https://example.org/images/opera-musical")],
        "days_ago": 31,
    },
    # 15. Ethics vs Morals
    {
        "first": "Ethics",
        "second": "Morals",
        "categories": ["society-and-culture"],
        "key_difference": (
            "Ethics are rules of conduct set by an external source, such as a profession, an "
            "organisation or society. Morals are an individual's own beliefs about what is right and "
            "wrong."
        ),
        "body": """In everyday speech 'ethical' and 'moral' are often used interchangeably, and both concern right and wrong. When a distinction is drawn, it is usually about where the standards come from.

## Ethics

Ethics usually refers to shared standards that apply to people in a particular role or setting. They are often written down, for example in:

- Medical codes that require doctors to keep patient information confidential
- Legal codes of professional conduct for lawyers
- Journalists' codes on accuracy and fairness
- Company codes of conduct for employees

Ethics is also the branch of philosophy, sometimes called moral philosophy, that studies what makes actions right or wrong.

## Morals

Morals are personal principles, shaped by upbringing, culture, religion and experience, that guide how an individual behaves. They can differ from person to person and may change over a lifetime. Sometimes the two come into conflict: a defence lawyer may be ethically bound to give a vigorous defence to a client whose actions the lawyer personally finds morally wrong.""",
        "rows": [
            (
                "Source",
                "External: professions, institutions, society",
                "Internal: the individual's own beliefs",
            ),
            ("Form", "Often written codes and rules", "Usually unwritten personal principles"),
            ("Applies to", "People in a role or group", "Individuals"),
            (
                "Variation",
                "Varies between professions and settings",
                "Varies between people and over a lifetime",
            ),
            (
                "Shaped by",
                "Institutions and shared agreement",
                "Upbringing, culture, religion and experience",
            ),
            (
                "Example",
                "A doctor's duty of confidentiality",
                "A personal belief that lying is wrong",
            ),
        ],
        "image_alt": (
            "A framed professional code of conduct hanging on an office wall next to a person "
            "thinking, with a small compass drawn over their heart."
        ),
        "credits": [("Demo illustration", "")],
        "days_ago": 36,
    },
    # 16. RAM vs ROM
    {
        "first": "RAM",
        "second": "ROM",
        "categories": ["technology"],
        "key_difference": (
            "RAM is fast, volatile working memory that holds the programs and data in use and is "
            "cleared when the power goes off. ROM is non-volatile memory that keeps firmware and "
            "start-up code permanently and is rarely written to."
        ),
        "body": """Every computer, phone and smart device contains both kinds of memory, and each has a clear job.

## RAM

Random Access Memory is the computer's working space. When you open a program, it is loaded from storage into RAM so that the processor can read and change it quickly. RAM is volatile: everything in it disappears when the device is switched off. More RAM lets a computer keep more programs and files open at once without slowing down. Common types include:

- DRAM, used as main memory, in generations such as DDR4 and DDR5
- SRAM, faster and more expensive, used for processor caches

## ROM

Read-Only Memory keeps its contents without power. It stores the firmware a device needs to start up and control its hardware, such as the BIOS or UEFI of a PC. Early ROM was written once at the factory; later types such as EPROM, EEPROM and flash memory can be rewritten, which is how firmware updates are installed, but this is done rarely and much more slowly than writing to RAM.

The two work together: at power-on the processor runs code from ROM, which then loads the operating system from storage into RAM.""",
        "rows": [
            ("Stands for", "Random Access Memory", "Read-Only Memory"),
            (
                "Volatility",
                "Volatile: loses data without power",
                "Non-volatile: keeps data without power",
            ),
            ("Writing", "Written constantly during use", "Written rarely, if at all"),
            ("Purpose", "Holds programs and data in use", "Holds firmware and start-up code"),
            ("Speed", "Very fast", "Slower"),
            ("Typical capacity in a PC", "Several gigabytes", "A few megabytes"),
            ("Types", "DRAM (DDR4, DDR5), SRAM", "Mask ROM, PROM, EPROM, EEPROM, flash"),
        ],
        "image_alt": (
            "A long green RAM module next to a small ROM chip on a circuit board, each with a label."
        ),
        "credits": [("Demo illustration", "https://example.org/images/ram-rom")],
        "days_ago": 41,
    },
    # 17. HTTP vs HTTPS
    {
        "first": "HTTP",
        "second": "HTTPS",
        "categories": ["technology"],
        "key_difference": (
            "HTTP sends web traffic as plain, unencrypted text. HTTPS sends the same traffic inside "
            "an encrypted TLS connection, which hides it from eavesdroppers, protects it from "
            "tampering and confirms the identity of the website."
        ),
        "body": """HTTP is the protocol a browser uses to request pages from a web server. HTTPS is the same protocol wrapped in a layer of encryption, and it has become the normal way to serve websites.

## How HTTPS protects visitors

With plain HTTP, anyone between the browser and the server, such as someone on the same public Wi-Fi network, can read or alter what is sent, including passwords and form data. HTTPS uses Transport Layer Security (TLS), the successor to SSL, to provide:

- Encryption, so the content cannot be read in transit
- Integrity, so changes to the data in transit are detected
- Authentication, through a certificate showing the site is who it claims to be

## Practical differences

HTTP addresses begin with http:// and normally use port 80; HTTPS addresses begin with https:// and normally use port 443. An HTTPS site needs a TLS certificate from a certificate authority, and free certificates are now widely available. Major browsers label plain HTTP pages as 'Not secure', and Google has used HTTPS as a small ranking signal in search since 2014.""",
        "rows": [
            ("Stands for", "HyperText Transfer Protocol", "HyperText Transfer Protocol Secure"),
            ("Encryption", "None; data travels as plain text", "Encrypted with TLS"),
            ("Default port", "80", "443"),
            ("Address begins with", "http://", "https://"),
            ("Certificate needed", "No", "Yes, from a certificate authority"),
            ("Browser display", "Often marked 'Not secure'", "Shown as a secure connection"),
            ("Protection against tampering", "None", "Yes"),
        ],
        "image_alt": (
            "Two browser address bars: one starting with http:// next to an open padlock, the other "
            "with https:// next to a closed padlock."
        ),
        "credits": [("Demo illustration", "")],
        "days_ago": 47,
    },
    # 18. Affect vs Effect
    {
        "first": "Affect",
        "second": "Effect",
        "categories": ["language"],
        "key_difference": (
            "'Affect' is usually a verb meaning to influence something. 'Effect' is usually a noun "
            "meaning the result of a change."
        ),
        "body": """These two words sound almost the same and are closely related in meaning, which makes them among the most often confused words in English.

## The usual rule

In most sentences 'affect' is the action and 'effect' is the outcome:

- 'The heavy rain affected the harvest.' (verb: it influenced the harvest)
- 'The heavy rain had a serious effect on the harvest.' (noun: the result)
- 'Caffeine affects people differently.'
- 'The medicine had no side effects.'

A common memory aid is RAVEN: Remember, Affect is a Verb, Effect is a Noun.

## The exceptions

'Effect' can also be a verb meaning 'to bring about', as in 'The new director effected several changes', meaning she made the changes happen. This differs from 'affected several changes', which would mean she influenced changes that already existed. 'Affect' can also be a noun in psychology, where it means the outward display of emotion, as in 'The patient had a flat affect.' Outside these specialised uses, the basic rule holds.""",
        "rows": [
            ("Usual part of speech", "Verb", "Noun"),
            ("Usual meaning", "To influence or change", "A result or consequence"),
            ("Example", "'The noise affected my sleep.'", "'The noise had an effect on my sleep.'"),
            ("Less common use", "Noun in psychology: visible emotion", "Verb: to bring about"),
            (
                "Less common example",
                "'She showed little affect.'",
                "'The law effected real change.'",
            ),
            (
                "Memory aid",
                "A for action, the Verb in RAVEN",
                "E for end result, the Noun in RAVEN",
            ),
        ],
        "image_alt": (
            "A hand tipping over the first domino in a row labelled Affect, with the fallen dominoes "
            "at the end of the row labelled Effect."
        ),
        "credits": [("Demo illustration", "https://example.org/images/affect-effect")],
        "days_ago": 55,
    },
]
