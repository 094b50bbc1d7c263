"""Builds the Iraq 2024 case with the Python API: the twin of ``iraq-2024/case.yaml``.

Run it to build the case and check it; ``--texts DIR`` also checks every quote against the
texts of the two articles kept in DIR, and ``-o case.json`` saves the case.

The case follows two 2024 reports: The National on a US strike on a PMF base in Babil
(30 July), and Shafaq News on rockets fired from Zummar toward a US base in Syria
(21 April) and on whether a truce between the factions and the US ever existed.
"""

from __future__ import annotations

import argparse

from pathlib import Path

import claimtrack

from claimtrack import Count


def build() -> claimtrack.Case:
    """Build the case record by record, in the order an analyst reads the two articles."""
    case = claimtrack.Case(
        title="Iraq 2024",
        description="Who said what about the 2024 pause in attacks by Iraqi armed factions on US forces: a rocket launch toward Syria in April that a pro-government alliance kept its distance from, and a deadly US strike in Babil in July that the factions vowed to answer.",
    )

    # Sources
    case.add_source(
        "the-national",
        "The National",
        "outlet",
        reliability="B",
        notes="English-language daily based in Abu Dhabi.",
    )
    case.add_source(
        "shafaq-news",
        "Shafaq News",
        "outlet",
        reliability="C",
        aliases=["Shafaq News Agency"],
        notes="Iraqi news site that calls itself a news agency; modelled as an outlet because here it reports in its own name rather than supplying wire copy to others.",
    )
    case.add_source("iraqi-government", "Government of Iraq", "government", aliases=["Baghdad"])
    case.add_source(
        "iraqi-armed-forces",
        "Iraqi armed forces",
        "military",
        reliability="C",
        aliases=["Iraqi security forces"],
        part_of="iraqi-government",
        notes='One source for the state\'s forces under the Joint Operations Command; the Shafaq report says "security forces", The National an "Iraqi military" spokesman.',
    )
    case.add_source(
        "yahya-rasool",
        "Maj Gen Yahya Rasool",
        "person",
        reliability="C",
        role="Iraqi military spokesperson",
        speaks_for="iraqi-armed-forces",
    )
    case.add_source(
        "security-media-cell",
        "Security Media Cell",
        "official-body",
        reliability="C",
        aliases=["SMC", "Iraq's Security Media Cell"],
        part_of="iraqi-armed-forces",
        notes="The security forces' official press office. When it reports its own forces' operations it is an interested party, which the 'about' field on those claims makes visible.",
    )
    case.add_source(
        "pmf",
        "Popular Mobilization Forces",
        "military",
        reliability="D",
        aliases=["PMF", "Popular Mobilisation Forces", "Hashd al-Shaabi"],
        notes="State-funded umbrella of mostly Shia armed factions, legally counted among Iraq's security forces since 2016 but in practice run through its own factions. Modelled as 'military' for its legal status, and deliberately NOT linked part_of the Iraqi armed forces: the army spokesman and the PMF speak as different interests here. Its component factions (Kataib Hezbollah) are modelled as armed groups.",
    )
    case.add_source(
        "pmf-media-unit",
        "PMF central media unit",
        "official-body",
        reliability="D",
        part_of="pmf",
    )
    case.add_source(
        "islamic-resistance-in-iraq",
        "Islamic Resistance in Iraq",
        "armed-group",
        reliability="D",
        aliases=["IRI"],
        notes="Banner under which Iran-aligned Iraqi factions claim attacks on US and Israeli targets. Used in 'about' for claims on what \"the Iraqi factions\" do or will do.",
    )
    case.add_source(
        "kataib-hezbollah",
        "Kataib Hezbollah",
        "armed-group",
        reliability="D",
        aliases=["Iraqi Hezbollah Brigades", "Hezbollah Brigades", "KH"],
        part_of=["pmf", "islamic-resistance-in-iraq"],
        notes="Shafaq calls it the Iraqi Hezbollah Brigades; same group. Its fighters are organised as PMF brigades (The National places Kataib Hezbollah dead at a base of the PMF 47th Brigade), hence part_of pmf. Its place in the Islamic Resistance in Iraq is background knowledge, not stated in either article.",
    )
    case.add_source(
        "nujaba",
        "Al Nujaba Movement",
        "armed-group",
        reliability="D",
        aliases=["Harakat al-Nujaba", "Al-Nujaba"],
        part_of="islamic-resistance-in-iraq",
    )
    case.add_source(
        "haider-al-lami",
        "Haider Al Lami",
        "person",
        reliability="D",
        role="senior official of the Al Nujaba Movement",
        member_of="nujaba",
    )
    case.add_source(
        "coordination-framework",
        "Coordination Framework",
        "political-group",
        reliability="C",
        aliases=["CF"],
        notes="Alliance of mainly Shia parties, close to Iran, that backs the government.",
    )
    case.add_source(
        "hassan-fadhem",
        "Hassan Fadhem",
        "person",
        role="Coordination Framework leader",
        member_of="coordination-framework",
    )
    case.add_source(
        "united-states",
        "United States",
        "government",
        reliability="C",
        aliases=["US", "U.S.", "US government"],
        notes='The National gives the self-defence description to "the U.S." without naming an office, so the government as a whole is the speaker.',
    )
    case.add_source(
        "us-led-coalition",
        "US-led international coalition against ISIS",
        "military",
        aliases=["Global Coalition", "the coalition"],
    )
    case.add_source(
        "us-forces",
        "US forces",
        "military",
        aliases=["U.S. forces", "US military"],
        member_of="us-led-coalition",
        part_of="united-states",
    )
    case.add_source(
        "social-media-users",
        "Unnamed social media users",
        "social-channel",
        reliability="F",
        notes="The accounts that circulated a statement in Kataib Hezbollah's name; Shafaq does not name them or the platform.",
    )
    case.add_source(
        "unnamed-reports",
        "Unspecified reports",
        "anonymous",
        reliability="F",
        notes='Shafaq\'s "reportedly", with no source given.',
    )

    # Documents
    case.add_document(
        "national-2024-07-31",
        "the-national",
        "US drone strike on PMF base in Babil puts the factions' truce with US forces in doubt",
        published="2024-07-31",
        retrieved="2026-11-01",
        language="en",
        text_file="000_0e5da3f26ebcd9f7.txt",
        sha256="5c355d130f23e170852d54aa4c64b87eba06a276881e899a5fb9449d8c9cefe7",
        notes="Provenance caveat. The stored text matches word for word a version published by Business Upturn (https://www.businessupturn.com/asia/middle-east-asia/iraq/iraq-truce-at-risk-following-u-s-strike-on-militant-base/26640), which rewrites The National's report and mentions The National in the third person. The National's own article (https://www.thenationalnews.com/news/mena/2024/07/31/iraq-truce-hangs-in-the-balance-after-us-strike-on-militant-base/) is worded differently. The case follows the brief and treats The National as the publisher; quotes are checked against the stored rewrite, so no url is recorded (neither address holds exactly this text). The strike hit a base reported elsewhere as Jurf al-Sakhar; this text says only Babil province.",
    )
    case.add_document(
        "shafaq-2024-04-22",
        "shafaq-news",
        "Coordination Framework keeps its distance from a reported return to attacks on US targets",
        url="https://shafaq.com/en/Iraq/Coordination-Framework-denies-ending-informal-truce-with-US-forces",
        published="2024-04-22",
        retrieved="2026-11-01",
        language="en",
        text_file="004_348a28c25fe5e2a6.txt",
        sha256="668ddf2bef40d7d2399b632c4a32c60d743731fa8d5068f47343ecf09c0e361a",
        notes='Monday 22 April 2024. "Yesterday" in the text is Sunday 21 April; the launch was at 21:50 local time (UTC+3). Shafaq\'s own web address speaks of an informal truce, though the body quotes a denial that any formal truce existed.',
    )

    # Questions
    case.add_question(
        "truce",
        "Was there a truce between the Iraqi armed factions and US-led forces in 2024?",
        notes="Both reports concern the same pause, which began in early February 2024 and was still holding, with exceptions, in July 2024.",
    )
    case.add_question(
        "attacks-paused",
        "Did the Iraqi armed factions stop attacking US forces from February 2024?",
    )
    case.add_question(
        "pause-reason",
        "Why did the factions pause their attacks on US forces?",
        exclusive=False,
        notes="The reasons given are not rivals; several can be true at once.",
    )
    case.add_question(
        "babil-toll",
        "How many people did the US strike on the PMF base in Babil kill?",
    )
    case.add_question(
        "babil-target",
        "Whom did the US strike in Babil hit?",
        exclusive=False,
        notes="A base, a brigade and a faction can all be right at once.",
    )
    case.add_question(
        "babil-method",
        "Who carried out the Babil strike, and with what?",
        exclusive=False,
    )
    case.add_question(
        "babil-character",
        "Was the Babil strike an act of self-defence or an act of aggression?",
    )
    case.add_question(
        "babil-rationale",
        "Were the fighters hit in Babil preparing a drone launch against US-led forces?",
    )
    case.add_question(
        "babil-mandate",
        "Did the Babil strike breach the mission of US forces in Iraq?",
    )
    case.add_question(
        "babil-consequences",
        "What will the Babil strike lead to?",
        exclusive=False,
    )
    case.add_question(
        "retaliation",
        "Will the Iraqi factions retaliate for the Babil strike, and how?",
        exclusive=False,
    )
    case.add_question(
        "rocket-count",
        "How many rockets were fired from Zummar on 21 April 2024?",
    )
    case.add_question("rocket-origin", "Where were the 21 April rockets fired from?")
    case.add_question(
        "rocket-target",
        "What did the 21 April rockets target?",
        exclusive=False,
        notes="The answers differ in precision, not in substance.",
    )
    case.add_question("rocket-launchers", "Who fired the 21 April rockets?")
    case.add_question(
        "launch-vehicle",
        "Who destroyed the vehicle used to fire the 21 April rockets?",
    )
    case.add_question(
        "iraqi-response",
        "What did Iraqi forces do after the 21 April launch?",
        exclusive=False,
    )
    case.add_question(
        "kh-resumption",
        "Did Kataib Hezbollah announce in April 2024 that it was resuming attacks on US forces?",
    )
    case.add_question(
        "cf-backing",
        "Does the Coordination Framework back a resumption of attacks on US interests?",
    )
    case.add_question(
        "resumption-drivers",
        "What would lead the factions to resume attacks on US targets?",
        exclusive=False,
    )

    # Claims
    case.add_claim(
        "truce-existed",
        "A truce was in force between the Islamic Resistance in Iraq and US forces, and had largely held until the Babil strike.",
        question="truce",
        about=["islamic-resistance-in-iraq", "us-forces"],
        tags=["truce"],
    )
    case.add_claim(
        "no-formal-truce",
        "No formal truce existed between the Iraqi factions and the coalition; the factions merely acted on their own strategy.",
        question="truce",
        about=["islamic-resistance-in-iraq", "us-led-coalition"],
        tags=["truce"],
    )
    case.add_claim(
        "attacks-halted-feb",
        "Iran-aligned Iraqi factions stopped attacking Western forces in early February 2024.",
        question="attacks-paused",
        about=["islamic-resistance-in-iraq"],
        tags=["truce"],
        notes="No 'when' is recorded because the text gives only \"early February\".",
    )
    case.add_claim(
        "truce-purpose",
        "The truce served to avoid escalation and to leave room for talks on the presence of US troops in Iraq.",
        question="pause-reason",
        tags=["truce"],
    )
    case.add_claim(
        "pause-for-negotiations",
        "The factions chose to hold off attacks on US sites in Iraq so that the government could negotiate the departure of foreign troops.",
        question="pause-reason",
        about=["islamic-resistance-in-iraq"],
        tags=["truce"],
    )
    case.add_claim(
        "factions-own-strategy",
        "The factions' restraint followed their own strategy and interests, not an agreement.",
        question="pause-reason",
        about=["islamic-resistance-in-iraq"],
        tags=["truce"],
    )
    case.add_claim(
        "halt-followed-jordan-strike",
        "The February halt came after a drone strike in Jordan killed US soldiers and the US answered with air strikes in Iraq and Syria.",
        question="pause-reason",
        tags=["truce"],
        notes="Shafaq gives a sequence of events, not an explicit cause.",
    )
    case.add_claim(
        "jordan-strike-toll",
        "A drone strike in Jordan killed three American soldiers.",
        value=Count.exactly(3, unit="people"),
        tags=["context"],
    )
    case.add_claim(
        "us-retaliated-feb",
        "The US responded to the Jordan strike with air strikes on targets in Iraq and Syria.",
        about=["united-states"],
        tags=["context"],
    )
    case.add_claim(
        "toll-at-least-four",
        "The US strike in Babil killed at least four Kataib Hezbollah members.",
        question="babil-toll",
        value=Count.at_least(4, unit="people"),
        when="2024-07-30",
        about=["united-states"],
        tags=["babil"],
    )
    case.add_claim(
        "strike-hit-pmf-base",
        "The US strike hit a PMF base in Babil province, south of Baghdad.",
        question="babil-target",
        when="2024-07-30",
        about=["united-states"],
        tags=["babil"],
    )
    case.add_claim(
        "pmf-47th-brigade-targeted",
        "The Babil strike was aimed at the PMF's 47th Brigade.",
        question="babil-target",
        when="2024-07-30",
        about=["united-states"],
        tags=["babil"],
    )
    case.add_claim(
        "us-carried-out-strike",
        "The United States carried out the Babil strike.",
        question="babil-method",
        when="2024-07-30",
        about=["united-states"],
        tags=["babil"],
    )
    case.add_claim(
        "strike-by-drone-missiles",
        "The Babil strike used missiles fired from drones.",
        question="babil-method",
        when="2024-07-30",
        about=["united-states"],
        tags=["babil"],
    )
    case.add_claim(
        "strike-self-defence",
        "The US strike in Babil was an act of self-defence.",
        question="babil-character",
        when="2024-07-30",
        about=["united-states", "us-forces"],
        tags=["babil"],
    )
    case.add_claim(
        "strike-aggression",
        "The US strike in Babil was a criminal act of aggression.",
        question="babil-character",
        when="2024-07-30",
        about=["united-states", "us-forces"],
        tags=["babil"],
    )
    case.add_claim(
        "fighters-preparing-drones",
        "The fighters struck were about to launch drones that threatened US and allied forces.",
        question="babil-rationale",
        when="2024-07-30",
        about=["united-states"],
        tags=["babil"],
    )
    case.add_claim(
        "strike-breaches-mandate",
        "The Babil strike seriously violated the mission of US forces in Iraq.",
        question="babil-mandate",
        when="2024-07-30",
        about=["us-forces"],
        tags=["babil"],
    )
    case.add_claim(
        "truce-at-risk",
        "The Babil strike endangered the truce between the factions and US-led forces.",
        question="babil-consequences",
        tags=["babil", "truce"],
    )
    case.add_claim(
        "strike-harms-anti-isis-effort",
        "Strikes like this one could weaken joint security work against ISIS and pull Iraq into wider regional conflict.",
        question="babil-consequences",
        tags=["babil"],
    )
    case.add_claim(
        "factions-threatened-retaliation",
        "Iran-aligned Iraqi factions threatened to retaliate after the Babil strike.",
        question="retaliation",
        about=["islamic-resistance-in-iraq"],
        tags=["babil"],
    )
    case.add_claim(
        "factions-will-retaliate",
        "The Iraqi factions will retaliate against the US and Israel, and soon.",
        question="retaliation",
        about=["islamic-resistance-in-iraq"],
        tags=["babil"],
    )
    case.add_claim(
        "factions-back-axis",
        "The Iraqi factions will back the Iran-led regional alliance in whatever it does.",
        question="retaliation",
        about=["islamic-resistance-in-iraq"],
        tags=["babil"],
    )
    case.add_claim(
        "israeli-sites-targets",
        "The Iraqi factions will treat every Israeli site as a target and can reach them.",
        question="retaliation",
        about=["islamic-resistance-in-iraq"],
        tags=["babil"],
    )
    case.add_claim(
        "kh-weighing-response",
        "Kataib Hezbollah will settle on a response together with the other factions.",
        question="retaliation",
        about=["kataib-hezbollah"],
        tags=["babil"],
    )
    case.add_claim(
        "us-troops-in-iraq",
        "Roughly 2,500 US troops were still based in Iraq as part of the anti-ISIS coalition.",
        about=["us-forces"],
        tags=["context"],
        notes='No structured value: "around" gives no bounds, and inventing a range would create contradictions that no source asserted.',
    )
    case.add_claim(
        "withdrawal-talks-ongoing",
        "Iraq and the US were still negotiating a withdrawal agreement and the security arrangements that would follow it.",
        about=["iraqi-government", "united-states"],
        tags=["context"],
    )
    case.add_claim(
        "baghdad-factions-push-departure",
        "Both Baghdad and the Iran-aligned factions were pressing harder for the coalition to leave.",
        about=["iraqi-government", "islamic-resistance-in-iraq"],
        tags=["context"],
    )
    case.add_claim(
        "israel-struck-beirut",
        "Israel carried out a strike on the southern suburbs of Beirut shortly before.",
        tags=["context"],
    )
    case.add_claim(
        "haniyeh-killed",
        "Hamas leader Ismail Haniyeh was killed in Tehran in an attack believed to be Israeli.",
        tags=["context"],
        notes="The text says the Babil strike \"follows\" this killing; in fact Haniyeh died in the early hours of 31 July, after the strike on the night of 30 July. No 'when' is recorded so that the ordering is not asserted either way.",
    )
    case.add_claim(
        "five-rockets",
        "Five rockets were fired in the 21 April attack.",
        question="rocket-count",
        value=Count.exactly(5, unit="rockets"),
        when="2024-04-21",
        tags=["zummar"],
    )
    case.add_claim(
        "rockets-from-zummar",
        "The 21 April rockets were launched from the Zummar area of Iraq.",
        question="rocket-origin",
        when="2024-04-21",
        tags=["zummar"],
    )
    case.add_claim(
        "target-us-base-ne-syria",
        "The 21 April rockets were aimed at a US military base in northeastern Syria.",
        question="rocket-target",
        when="2024-04-21",
        tags=["zummar"],
    )
    case.add_claim(
        "target-coalition-base-syria",
        "The 21 April attack targeted a coalition base well inside Syria, at 21:50 local time.",
        question="rocket-target",
        when="2024-04-21T21:50:00+03:00",
        tags=["zummar"],
    )
    case.add_claim(
        "launched-by-outlaws",
        "The rockets were fired by armed elements acting outside the law.",
        question="rocket-launchers",
        when="2024-04-21",
        tags=["zummar"],
        notes="The SMC's wording casts the launchers as outside the state's forces, which is also a political position; no group claimed the launch in this report.",
    )
    case.add_claim(
        "isf-destroyed-launch-vehicle",
        "Iraqi security forces found and destroyed the vehicle used to fire the rockets.",
        question="launch-vehicle",
        about=["iraqi-armed-forces"],
        tags=["zummar"],
    )
    case.add_claim(
        "isf-search-operation",
        "Iraqi forces in the Western Nineveh operations sector began a search for the people behind the launch.",
        question="iraqi-response",
        about=["iraqi-armed-forces"],
        tags=["zummar"],
    )
    case.add_claim(
        "launch-signals-escalation",
        "The 21 April launch may mark a new escalation after a lull that began in early February.",
        when="2024-04-21",
        tags=["zummar", "analysis"],
    )
    case.add_claim(
        "kh-announced-resumption",
        "Kataib Hezbollah declared that it was resuming attacks on US forces.",
        question="kh-resumption",
        about=["kataib-hezbollah"],
        tags=["zummar"],
    )
    case.add_claim(
        "cf-backs-resumption",
        "The Coordination Framework supports the factions resuming attacks on US interests.",
        question="cf-backing",
        about=["coordination-framework"],
        tags=["zummar"],
    )
    case.add_claim(
        "resumption-is-factions-strategy",
        "Any renewed attacks would follow the factions' wider strategy, reacting to US actions, Gaza or the regional alliance as a whole.",
        question="resumption-drivers",
        about=["islamic-resistance-in-iraq"],
        tags=["zummar"],
    )
    case.add_claim(
        "actions-tied-to-sudani-visit",
        "Some armed groups made their next moves depend on how Prime Minister al-Sudani's Washington visit turned out.",
        question="resumption-drivers",
        tags=["zummar"],
    )
    case.add_claim(
        "sudani-in-washington",
        "Iraq's prime minister was in Washington for talks with President Biden at the time of the launch.",
        when="2024-04-21",
        about=["iraqi-government"],
        tags=["context"],
    )

    # Attributions
    case.attribute(
        "toll-at-least-four",
        "the-national",
        document="national-2024-07-31",
        quote="killing at least four members",
    )
    case.attribute("strike-hit-pmf-base", "the-national", document="national-2024-07-31")
    case.attribute("us-carried-out-strike", "the-national", document="national-2024-07-31")
    case.attribute(
        "strike-by-drone-missiles",
        "the-national",
        document="national-2024-07-31",
        quote="missiles launched from drones",
    )
    case.attribute(
        "truce-existed",
        "the-national",
        document="national-2024-07-31",
        quote="a longstanding truce",
    )
    case.attribute("truce-purpose", "the-national", document="national-2024-07-31")
    case.attribute("truce-at-risk", "the-national", document="national-2024-07-31")
    case.attribute(
        "factions-threatened-retaliation",
        "the-national",
        document="national-2024-07-31",
    )
    case.attribute(
        "us-troops-in-iraq",
        "the-national",
        document="national-2024-07-31",
        quote="Around 2,500 U.S. troops",
    )
    case.attribute("withdrawal-talks-ongoing", "the-national", document="national-2024-07-31")
    case.attribute(
        "baghdad-factions-push-departure",
        "the-national",
        document="national-2024-07-31",
    )
    case.attribute("israel-struck-beirut", "the-national", document="national-2024-07-31")
    case.attribute("haniyeh-killed", "the-national", document="national-2024-07-31")
    case.attribute(
        "factions-will-retaliate",
        "haider-al-lami",
        document="national-2024-07-31",
        via=["the-national"],
        quote="The Iraqi factions will retaliate",
    )
    case.attribute(
        "factions-back-axis",
        "haider-al-lami",
        document="national-2024-07-31",
        via=["the-national"],
        quote="will support the ‘Axis of Resistance’",
    )
    case.attribute(
        "israeli-sites-targets",
        "haider-al-lami",
        document="national-2024-07-31",
        via=["the-national"],
        quote="All Israeli locations will become targets",
    )
    case.attribute(
        "pmf-47th-brigade-targeted",
        "pmf",
        document="national-2024-07-31",
        via=["the-national"],
        notes="Confirmation reported in the outlet's words.",
    )
    case.attribute(
        "toll-at-least-four",
        "pmf-media-unit",
        stance="doubts",
        document="national-2024-07-31",
        via=["the-national"],
        notes="Did not immediately confirm the toll; the outlet's words, not the unit's.",
    )
    case.attribute(
        "kh-weighing-response",
        "kataib-hezbollah",
        document="national-2024-07-31",
        via=["the-national"],
        quote="appropriate response",
    )
    case.attribute(
        "strike-aggression",
        "yahya-rasool",
        document="national-2024-07-31",
        via=["the-national"],
        quote="a heinous crime and blatant aggression",
    )
    case.attribute(
        "strike-breaches-mandate",
        "yahya-rasool",
        document="national-2024-07-31",
        via=["the-national"],
        notes="Paraphrased by the outlet.",
    )
    case.attribute(
        "strike-harms-anti-isis-effort",
        "yahya-rasool",
        document="national-2024-07-31",
        via=["the-national"],
        notes="A warning, paraphrased by the outlet.",
    )
    case.attribute(
        "strike-self-defence",
        "united-states",
        document="national-2024-07-31",
        via=["the-national"],
        quote="self-defence",
    )
    case.attribute(
        "fighters-preparing-drones",
        "united-states",
        document="national-2024-07-31",
        via=["the-national"],
    )
    case.attribute(
        "us-carried-out-strike",
        "united-states",
        document="national-2024-07-31",
        via=["the-national"],
        notes="Not an explicit statement: by defending the strike the US owns it.",
    )
    case.attribute(
        "five-rockets",
        "shafaq-news",
        document="shafaq-2024-04-22",
        quote="five rockets were launched",
    )
    case.attribute(
        "rockets-from-zummar",
        "shafaq-news",
        document="shafaq-2024-04-22",
        quote="Iraq's Zummar region",
    )
    case.attribute(
        "target-us-base-ne-syria",
        "shafaq-news",
        document="shafaq-2024-04-22",
        quote="a US military base in northeastern Syria",
    )
    case.attribute(
        "attacks-halted-feb",
        "shafaq-news",
        document="shafaq-2024-04-22",
        quote="halted strikes on Western forces",
    )
    case.attribute("launch-signals-escalation", "shafaq-news", document="shafaq-2024-04-22")
    case.attribute("sudani-in-washington", "shafaq-news", document="shafaq-2024-04-22")
    case.attribute("halt-followed-jordan-strike", "shafaq-news", document="shafaq-2024-04-22")
    case.attribute(
        "jordan-strike-toll",
        "shafaq-news",
        document="shafaq-2024-04-22",
        quote="killed three American soldiers",
    )
    case.attribute("us-retaliated-feb", "shafaq-news", document="shafaq-2024-04-22")
    case.attribute(
        "actions-tied-to-sudani-visit",
        "unnamed-reports",
        document="shafaq-2024-04-22",
        via=["shafaq-news"],
        mode="anonymous",
        notes="Shafaq says only that this was reported.",
    )
    case.attribute(
        "isf-search-operation",
        "security-media-cell",
        document="shafaq-2024-04-22",
        via=["shafaq-news"],
        quote="comprehensive search and inspection operation",
    )
    case.attribute(
        "launched-by-outlaws",
        "security-media-cell",
        document="shafaq-2024-04-22",
        via=["shafaq-news"],
        quote="outlaw elements",
    )
    case.attribute(
        "target-coalition-base-syria",
        "security-media-cell",
        document="shafaq-2024-04-22",
        via=["shafaq-news"],
        quote="deep within Syrian territory",
    )
    case.attribute(
        "isf-destroyed-launch-vehicle",
        "security-media-cell",
        document="shafaq-2024-04-22",
        via=["shafaq-news"],
        quote="discovered and destroyed the vehicle used to launch the missiles",
    )
    case.attribute(
        "cf-backs-resumption",
        "coordination-framework",
        stance="denies",
        document="shafaq-2024-04-22",
        via=["shafaq-news"],
        said="2024-04-22",
        notes="The outlet's summary; no spokesperson is quoted.",
    )
    case.attribute(
        "no-formal-truce",
        "hassan-fadhem",
        document="shafaq-2024-04-22",
        via=["shafaq-news"],
        quote="There wasn't a formal truce",
        said="2024-04-22",
    )
    case.attribute(
        "factions-own-strategy",
        "hassan-fadhem",
        document="shafaq-2024-04-22",
        via=["shafaq-news"],
        quote="the Iraqi factions have their own strategy and interests",
        said="2024-04-22",
    )
    case.attribute(
        "pause-for-negotiations",
        "hassan-fadhem",
        document="shafaq-2024-04-22",
        via=["shafaq-news"],
        quote="prioritize pausing attacks on US sites in Iraq",
        said="2024-04-22",
    )
    case.attribute(
        "resumption-is-factions-strategy",
        "hassan-fadhem",
        document="shafaq-2024-04-22",
        via=["shafaq-news"],
        quote="part of a broader strategy adopted by the factions",
        said="2024-04-22",
    )
    case.attribute(
        "kh-announced-resumption",
        "kataib-hezbollah",
        document="shafaq-2024-04-22",
        via=["shafaq-news", "social-media-users"],
        quote="resumption of attacks against US forces",
        mode="purported",
    )
    case.attribute(
        "kh-announced-resumption",
        "kataib-hezbollah",
        stance="denies",
        document="shafaq-2024-04-22",
        via=["shafaq-news"],
        said="2024-04-22",
        notes="The group disowned the statement on the Monday; Shafaq does not quote its words.",
    )

    # Relations
    case.relate(
        "contradicts",
        "truce-existed",
        "no-formal-truce",
        reason="Both describe the pause that began in February 2024. The National calls it a truce between the two sides; Fadhem says there was no formal truce, only the factions' own choice. They agree attacks stopped and disagree on whether anything was agreed.",
    )
    case.relate(
        "contradicts",
        "strike-self-defence",
        "strike-aggression",
        reason="The US and the Iraqi military spokesman give opposite characterisations of one strike; also derived, as rival answers to one exclusive question.",
    )
    case.relate(
        "supports",
        "fighters-preparing-drones",
        "strike-self-defence",
        by="united-states",
        reason="An imminent drone launch is the ground the US gives for calling the strike self-defence.",
    )
    case.relate(
        "supports",
        "strike-breaches-mandate",
        "strike-aggression",
        by="yahya-rasool",
        reason="The spokesman gives the breach of the US forces' mission as part of his condemnation.",
    )
    case.relate(
        "refines",
        "pmf-47th-brigade-targeted",
        "strike-hit-pmf-base",
        reason="The PMF names the brigade whose base the outlet describes only by province.",
    )
    case.relate(
        "refines",
        "target-us-base-ne-syria",
        "target-coalition-base-syria",
        reason="Shafaq places the target as a US base in northeastern Syria; the SMC says only a coalition base deep in Syria. Same target, told more precisely.",
    )
    case.relate(
        "supports",
        "truce-purpose",
        "pause-for-negotiations",
        reason="Independently, months apart, the outlet and a Coordination Framework leader both say the pause gave room for talks on the US troop presence.",
    )
    case.relate(
        "supports",
        "pause-for-negotiations",
        "attacks-halted-feb",
        reason="A reason for pausing the attacks presupposes that they were paused.",
    )
    case.relate(
        "supports",
        "factions-own-strategy",
        "no-formal-truce",
        reason="If the factions held off on their own account, no formal agreement was needed; same speaker, so this adds no independent weight.",
    )
    case.relate(
        "supports",
        "factions-will-retaliate",
        "factions-threatened-retaliation",
        reason="Al Lami's vow to retaliate is itself one of the threats the outlet reports.",
    )
    case.relate(
        "supports",
        "attacks-halted-feb",
        "truce-existed",
        reason="The halt in attacks is what The National calls a truce; it supports a truce in the loose sense but cannot settle whether one was formally agreed.",
    )

    return case


def main(argv: list[str] | None = None) -> int:
    """Build the case, report any problem, save it as JSON, and sum it up."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--texts", help="the folder holding the two articles' texts")
    parser.add_argument("-o", "--output", help="save the case to this .yaml or .json file")
    args = parser.parse_args(argv)
    case = build()
    if args.texts:
        case.text_dirs = (Path(args.texts),)
    problems = case.validate(texts=bool(args.texts))
    for problem in problems:
        print(problem)
    if args.output:
        case.save(args.output)
    print(case)
    return 1 if any(p.is_error for p in problems) else 0


if __name__ == "__main__":
    raise SystemExit(main())
