"""One diverse pool of names for every role, and the ways a name gets written down wrongly.

The pool is deliberately single: victims, suspects and witnesses all draw from it, and no
name is ever chosen by role or by ethnicity code, so names carry no signal about offending.
Spellings that are transliterations of one name (Mohammed / Muhammad, Aleksandr /
Alexander) are kept as groups so that a record can use another spelling of the same name.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from itertools import accumulate

from relook.synth.codes import pick


def _words(text: str) -> list[str]:
    """A word list written as a block of text, one name per word."""
    return text.split()


_FEMALE = _words(
    """
Emily Chloe Jessica Sophie Lauren Hannah Charlotte Amy Megan Rebecca Katie Holly Bethany
Danielle Chelsea Jade Stacey Leanne Kirsty Natalie Sarah Elizabeth Victoria Samantha Catherine
Margaret Jennifer Abigail Courtney Shannon Paige Ellie Olivia Amelia Isla Grace Ruby Lucy
Georgia Molly Kayleigh Demi Tegan Rhiannon Siobhan Aoife Niamh Caitlin Aisha Fatima Zainab
Amina Priya Anjali Sana Noor Nadia Saima Rukhsana Shabana Farzana Nasreen Parveen Simran
Harpreet Manpreet Gurpreet Sunita Meera Kiran Tasnim Sadia Rabia Iqra Hira Mariam Yasmin Leila
Huda Hana Salma Rania Amal Agnieszka Katarzyna Magdalena Natalia Oksana Olena Anastasia Ioana
Elena Andreea Zuzana Jana Milena Ewa Adaeze Chiamaka Ngozi Funmilayo Abena Ama Efua Blessing
Precious Folasade Nneka Shanice Tanisha Keisha Aaliyah Monique Shantelle Mei Xiaoling Jing Yan
Hui Maria Ana Sofia Ines Linh Roxana Zahra Zeynep Elif Aleksandra
"""
)

_MALE = _words(
    """
James Thomas Daniel Matthew Christopher Michael David Andrew Robert William Joseph Ryan Jack
Liam Connor Callum Jordan Kyle Lewis Jamie Stephen Paul Mark Lee Dean Wayne Gary Craig Scott
Carl Shaun Jason Darren Anthony Peter John Richard Steven Nathan Adam Ben Luke Sean Kieran
Declan Patrick Mohammed Imran Adil Asif Tariq Zahid Shahid Sajid Abid Arshad Amjad Nadeem Naveed
Faisal Kamran Irfan Usman Bilal Hamza Zubair Rizwan Waqas Raj Sanjay Vikram Arjun Harjit Gurdeep
Jaswinder Sukhdev Ravi Anil Suresh Rahul Mustafa Ahmed Yusuf Omar Khalid Ali Hassan Hussein
Karim Samir Abdullah Ibrahim Aleksandr Piotr Pawel Tomasz Krzysztof Marek Lukasz Dmitri Andrei
Mihai Ion Bogdan Vasile Sergei Jakub Nikolai Viktor Chinedu Emeka Tunde Kwame Kofi Kwabena Yaw
Adebayo Femi Obinna Ikenna Delroy Winston Leroy Marlon Tyrone Jermaine Andre Devon Wei Jun Hao
Ming Lei Jian Jose Luis Mehmet Emre Reza Dariusz Arben Ardit Besnik Minh Tuan Oluwaseun
"""
)

_SURNAMES = _words(
    """
Smith Khan Jones Hussain Patel Williams Ahmed Kowalski Brown Begum Taylor Okafor Wilson Ali
Nowak Evans Chen Thomas Mahmood Campbell Johnson Roberts Walker Wright Robinson Thompson White
Hughes Edwards Green Hall Wood Harris Lewis Martin Jackson Clarke Clark Turner Hill Scott Cooper
Morris Ward Moore King Watson Baker Harrison Morgan Allen Young Mitchell Kelly Bell Murphy
O'Brien McDonald Doyle Byrne Walsh Gallagher Quinn Chaudhry Rahman Qureshi Shah Iqbal Akhtar
Siddiqui Rashid Malik Aziz Butt Bibi Hassan Karim Mirza Sheikh Anwar Bashir Javed Latif Saleem
Sharma Singh Kaur Gill Sandhu Dhillon Mistry Desai Joshi Mehta Kumar Nair Das Miah Uddin
Chowdhury Islam Hossain Haddad Mansour Nasser Saleh Abbas Farouk Ivanov Petrov Popescu Ionescu
Popa Kovacs Horvath Novak Dvorak Kaminski Lewandowski Wisniewski Zielinski Jankowski Kazlauskas
Balode Okonkwo Adeyemi Mensah Asante Boateng Owusu Adebayo Eze Nwosu Danso Osei Appiah Bakare
Francis Grant Barnes Reid Richards Henry Simpson Gordon Forbes Stewart Wang Li Zhang Liu Huang
Zhao Wu Lin Nguyen Tran Pham Yilmaz Demir Kaya Celik Hoxha Krasniqi Gashi Berisha Ahmadi
Mohammadi Karimi Rossi Ferreira Silva Santos Costa Fernandes
"""
)

# Surnames at the front of the list are drawn four times as often: common names make
# different people share a name, which entity resolution has to cope with. The front of
# the list mixes origins so that commonness says nothing about background.
_COMMON_SURNAMES = 16
_SURNAME_CUMULATIVE = list(
    accumulate(4 if i < _COMMON_SURNAMES else 1 for i in range(len(_SURNAMES)))
)

_FORENAME_SPELLINGS = """
Mohammed Muhammad Mohammad Mohamed Muhammed Mohamad
Ahmed Ahmad
Yusuf Yousaf Yousuf Yusef Youssef
Omar Umar
Aleksandr Alexander Oleksandr Aleksander
Hussein Husain Hussain
Karim Kareem
Samir Sameer
Ibrahim Ebrahim
Dmitri Dmitry Dmitriy
Andrei Andrey
Sergei Sergey
Nikolai Nikolay
Pawel Paweł
Lukasz Łukasz
Aisha Ayesha Aysha
Mariam Maryam Miriam
Fatima Fatimah Fatma
Yasmin Yasmeen Yasmine
Leila Layla Laila
Amina Aminah Aaminah
Zainab Zaynab
Oksana Oxana
Aleksandra Alexandra Oleksandra
Mehmet Mehmed
Zeynep Zeinab
""".strip().splitlines()

_SURNAME_SPELLINGS = """
Hussain Hussein Husain
Ahmed Ahmad
Chaudhry Chaudhary Choudhury Chowdhury
Mahmood Mahmud Mehmood
Rahman Rehman
Qureshi Kureshi
Akhtar Akhter
Siddiqui Siddique
Rashid Rasheed
Ivanov Ivanoff
Kowalski Kowalsky
Wisniewski Wiśniewski
Chen Chan
Li Lee
Nguyen Nguyễn
O'Brien OBrien
McDonald MacDonald
Yilmaz Yılmaz
""".strip().splitlines()


def _spelling_groups(lines: list[str]) -> dict[str, tuple[str, ...]]:
    groups: dict[str, tuple[str, ...]] = {}
    for line in lines:
        spellings = tuple(line.split())
        for spelling in spellings:
            groups[spelling] = spellings
    return groups


_FORENAME_GROUPS = _spelling_groups(_FORENAME_SPELLINGS)
_SURNAME_GROUPS = _spelling_groups(_SURNAME_SPELLINGS)

# Familiar forms people are known by. Written by hand (not from a nickname library) so
# that every form is one a records clerk would plausibly type.
_FAMILIAR: dict[str, tuple[str, ...]] = {
    "Christopher": ("Chris",), "Michael": ("Mike", "Mikey"), "Daniel": ("Dan", "Danny"),
    "Matthew": ("Matt",), "Robert": ("Rob", "Bob", "Bobby"), "William": ("Will", "Billy"),
    "Joseph": ("Joe",), "Thomas": ("Tom", "Tommy"), "Anthony": ("Tony", "Ant"),
    "Andrew": ("Andy", "Drew"), "David": ("Dave",), "James": ("Jim", "Jimmy", "Jamie"),
    "Stephen": ("Steve",), "Steven": ("Steve",), "Richard": ("Rich", "Ricky"),
    "Nathan": ("Nate",), "Benjamin": ("Ben",), "Jonathan": ("Jon",), "Patrick": ("Pat",),
    "Mohammed": ("Mo", "Moe"), "Muhammad": ("Mo",), "Mohammad": ("Mo",), "Mohamed": ("Mo",),
    "Imran": ("Immy",), "Tariq": ("Taz",), "Kamran": ("Kam",), "Yusuf": ("Yus",),
    "Ibrahim": ("Ibby",), "Abdullah": ("Abdul",), "Mustafa": ("Mus",), "Hamza": ("Ham",),
    "Zubair": ("Zubi",), "Rizwan": ("Riz",), "Shahid": ("Shaz",), "Sukhdev": ("Sukhi",),
    "Gurdeep": ("Guri",), "Aleksandr": ("Sasha", "Alex"), "Alexander": ("Alex", "Sasha"),
    "Oleksandr": ("Sasha",), "Dmitri": ("Dima",), "Sergei": ("Seryozha",),
    "Krzysztof": ("Krzys",), "Tomasz": ("Tomek",), "Jakub": ("Kuba",), "Lukasz": ("Luk",),
    "Oluwaseun": ("Seun",), "Adebayo": ("Bayo",), "Chinedu": ("Nedu",), "Obinna": ("Obi",),
    "Kwabena": ("Kobby",), "Jessica": ("Jess",), "Rebecca": ("Becky", "Becca"),
    "Elizabeth": ("Liz", "Beth", "Lizzie"), "Samantha": ("Sam", "Sammy"),
    "Catherine": ("Cath", "Kate"), "Margaret": ("Maggie", "Peggy"), "Jennifer": ("Jen", "Jenny"),
    "Abigail": ("Abbie", "Abi"), "Victoria": ("Vicky", "Tori"), "Natalie": ("Nat",),
    "Danielle": ("Dani",), "Charlotte": ("Charlie", "Lottie"), "Bethany": ("Beth",),
    "Katarzyna": ("Kasia",), "Magdalena": ("Magda",), "Agnieszka": ("Aga",),
    "Anastasia": ("Nastya", "Stacey"), "Aleksandra": ("Ola",), "Funmilayo": ("Funmi",),
    "Folasade": ("Sade",), "Chiamaka": ("Amaka",), "Georgia": ("Georgie",),
    "Olivia": ("Liv",), "Amelia": ("Millie",), "Kayleigh": ("Kay",),
}  # fmt: skip

# Street names used as aliases: neutral words, assigned to anybody regardless of role.
_STREET_ALIASES = _words(
    """
Ace Blue Bugsy Chips Dizzy Fox Ghost Jinx Kaz Lucky Mac Nitro Prince Red Rocky Shorty Skinny
Smudge Sonny Spider Tiny Zed Jay Dee Bizzle Chubs Milky Biscuit Scooter Flash Digger Pepper
Tank Junior Boss Sparky Jazz Kiddo Dotty Bubbles Peanut Sunny Cookie Ziggy Toto Maz Bash
"""
)

_VOWELS = "aeiou"


# (forenames, surnames) to draw from; None is the whole pool. Set only by
# `noise.turned_up` for the robustness benchmark (a small pool makes namesakes common).
POOL_LIMIT: tuple[int, int] | None = None


def draw_forename(rng: random.Random, sex: str) -> str:
    """A forename that fits the person's recorded sex (any name for `X`), any spelling."""
    pool = {"F": _FEMALE, "M": _MALE}.get(sex) or (_FEMALE if rng.random() < 0.5 else _MALE)
    if POOL_LIMIT is not None:
        pool = pool[: max(POOL_LIMIT[0] // 2, 1)]
    name = pick(rng, pool)
    return pick(rng, _FORENAME_GROUPS.get(name, (name,)))


def draw_surname(rng: random.Random) -> str:
    cumulative = _SURNAME_CUMULATIVE
    if POOL_LIMIT is not None:
        cumulative = cumulative[: POOL_LIMIT[1]]
    name = _SURNAMES[bisect_right(cumulative, rng.random() * cumulative[-1])]
    return pick(rng, _SURNAME_GROUPS.get(name, (name,)))


def familiar_forms(forename: str) -> tuple[str, ...]:
    """Familiar forms of a forename, e.g. Robert -> Rob, Bob, Bobby."""
    return _FAMILIAR.get(forename, ())


def draw_street_alias(rng: random.Random) -> str:
    return pick(rng, _STREET_ALIASES)


def other_spelling(rng: random.Random, name: str, *, surname: bool) -> str | None:
    """Another transliteration of the same name, or None when it has none."""
    group = (_SURNAME_GROUPS if surname else _FORENAME_GROUPS).get(name)
    if group is None:
        return None
    others = [s for s in group if s != name]
    return pick(rng, others)


def typo(rng: random.Random, name: str) -> str:
    """One keying slip: swapped, dropped, doubled or changed letter (never the first)."""
    if len(name) < 4:
        return name + name[-1]
    i = rng.randrange(1, len(name) - 1)
    slip = rng.randrange(4)
    if slip == 0:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if slip == 1:
        return name[:i] + name[i + 1 :]
    if slip == 2:
        return name[:i] + name[i] + name[i:]
    if name[i].lower() in _VOWELS:
        return name[:i] + pick(rng, [v for v in _VOWELS if v != name[i].lower()]) + name[i + 1 :]
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
