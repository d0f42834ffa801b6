"""English-language articles of the sample archive (all text original and fictional).

Same format as articles_id.py: paragraphs separated by blank lines, ">> " lines are inline
cross-links ("Read more: ..." / "Related: ...") placed by the site template.
An optional ``ext`` saves the page as ".htm" or gzip-compressed ".html.gz".
"""

ARTICLES = [
    # ------------------------------------------------------------------ Meridian Post
    dict(
        site="meridianpost",
        date="2023-09-23",
        time="16:40",
        section="world",
        slug="lavrov-un-general-assembly-speech-blames-west-for-ukraine-war",
        title="Lavrov uses UN General Assembly speech to blame the West for Ukraine war",
        author="Catherine Holt",
        tags=["Sergei Lavrov", "United Nations", "Russia", "Ukraine"],
        body="""
NEW YORK - Russian Foreign Minister Sergei Lavrov used his address to the United Nations General Assembly on Saturday to accuse the United States and its allies of prolonging the war in Ukraine, dismissing Western calls for Moscow to withdraw its forces as a non-starter.

Speaking to a half-empty hall on the final day of the annual high-level debate, Lavrov said Western governments were trying to preserve their global dominance and to impose a self-serving set of rules on the rest of the world.

He repeated Moscow's position that any settlement must take into account what Russia describes as the realities on the ground, a reference to the Ukrainian territory that Russian forces currently occupy.

>> Zelenskyy makes first in-person appeal at the UN since the invasion

Lavrov's speech came days after Ukrainian President Volodymyr Zelenskyy addressed the General Assembly in person for the first time since the full-scale invasion began in February 2022, urging countries to stand with Kyiv.

Western diplomats were quick to reject the Russian minister's account. "Russia could end this war tomorrow by leaving Ukraine," a senior U.S. official told reporters after the speech, speaking on condition of anonymity to discuss diplomatic matters.

Asked at a news conference about reports that Moscow was seeking artillery shells from North Korea, Lavrov said Russia's relations with Pyongyang were a bilateral matter and did not breach any of its international commitments.

The minister spent several days in New York, holding meetings with counterparts from Africa, Asia and Latin America on the sidelines of the assembly. Russia, which holds a permanent seat on the Security Council, has sought to court countries in the so-called Global South that have declined to join sanctions against Moscow.

Analysts said the speech offered little sign of a shift in the Kremlin's approach. "This was a message aimed at audiences outside the West," said Marianne Foster, a Russia specialist at a Washington policy institute. "Moscow wants to show that it is not isolated, and New York is the best stage for that."
""",
    ),
    dict(
        site="meridianpost",
        date="2023-10-26",
        time="11:20",
        section="world",
        slug="us-south-korea-japan-condemn-north-korean-arms-deliveries-to-russia",
        title="U.S., South Korea and Japan condemn North Korean arms deliveries to Russia",
        author="Daniel Okafor",
        tags=["North Korea", "Russia", "South Korea", "Japan"],
        body="""
WASHINGTON - The United States, South Korea and Japan on Thursday jointly condemned what they said were deliveries of North Korean weapons and munitions to Russia, warning that the transfers were helping Moscow prolong its war against Ukraine.

In a statement issued by the three countries' top diplomats, the governments said they had confirmed several shipments from North Korea to Russia in recent weeks and pledged to monitor closely any materials that Pyongyang might receive in return.

"These transfers will only add to the suffering of the Ukrainian people," the statement said, adding that they violated U.N. Security Council resolutions that Russia itself had supported as a permanent member of the council.

U.S. officials said earlier this month that North Korea had sent more than 1,000 containers of military equipment and munitions to Russia, citing satellite imagery of shipments moving by sea and rail through the Russian Far East.

>> Russia's Lavrov arrives in Pyongyang as arms cooperation concerns grow

The statement followed a visit to Pyongyang last week by Russian Foreign Minister Sergei Lavrov, who held talks with his North Korean counterpart, Choe Son Hui, and met leader Kim Jong Un. Both Moscow and Pyongyang have denied any arms transfers.

South Korea's foreign ministry said Seoul was particularly concerned that Russia could share advanced military technology with the North, including know-how related to satellites and nuclear-powered submarines. "We will respond firmly together with our partners," a ministry spokesperson told reporters in Seoul.

Japan's chief cabinet secretary said Tokyo was sharing information closely with Washington and Seoul. The three countries have stepped up security cooperation since a summit at Camp David in August, where they agreed to hold regular trilateral exercises and to share real-time missile warning data.

Experts say the munitions could ease shortages of artillery shells in Russia's forces, which have fired vast quantities of ammunition along the front line in eastern and southern Ukraine.
""",
    ),
    dict(
        site="meridianpost",
        date="2022-12-18",
        time="14:30",
        section="sports",
        slug="argentina-beat-france-on-penalties-to-win-world-cup",
        title="Argentina beat France on penalties to win World Cup after thrilling 3-3 draw",
        author="Samuel Reyes",
        tags=["World Cup", "Argentina", "France", "Soccer"],
        body="""
LUSAIL, Qatar - Argentina won the World Cup for the third time on Sunday, beating France 4-2 in a penalty shootout after a breathless final at Lusail Stadium ended 3-3 following extra time.

Lionel Messi scored twice, including a penalty in the first half, as Argentina built a 2-0 lead through goals from Messi and Angel Di Maria and appeared to be cruising towards the trophy.

But Kylian Mbappe transformed the match with two goals in less than two minutes late in the second half, first from the penalty spot and then with a superb volley, to force extra time.

>> How Morocco's run to the semifinals captivated a continent

Messi appeared to have won it in the 108th minute when he bundled in a rebound, only for Mbappe to convert another penalty two minutes from the end of extra time and complete the first hat trick in a World Cup final since 1966.

In the shootout, goalkeeper Emiliano Martinez saved from Kingsley Coman, and Aurelien Tchouameni dragged his effort wide. Gonzalo Montiel then scored the decisive kick, setting off wild celebrations among the tens of thousands of Argentina fans in the stadium.

For Messi, 35, the victory completed a career that had lacked only the sport's biggest prize. He was named player of the tournament, while Mbappe finished as the top scorer with eight goals.

"I have waited my whole life for this," said Martina Gomez, a 29-year-old fan from Rosario who had travelled to Qatar with her father. "My grandfather saw Argentina win in 1986. Now I have my own story to tell."

In Buenos Aires, huge crowds gathered around the Obelisk monument in the city centre, waving flags and singing long into the night. Celebrations were expected to continue for days.

France, who were bidding to become the first team to retain the trophy since Brazil in 1962, had reached the final after beating Morocco in the semifinals.
""",
    ),
    dict(
        site="meridianpost",
        date="2024-02-27",
        time="09:00",
        section="technology",
        slug="halcyon-labs-unveils-299-smart-glasses-with-live-translation",
        title="Halcyon Labs unveils $299 smart glasses with live translation",
        author="Priya Raman",
        tags=["Wearables", "Startups", "Gadgets"],
        body="""
SAN FRANCISCO - Halcyon Labs, a four-year-old hardware startup, on Tuesday unveiled a pair of lightweight smart glasses that can translate conversations in real time and display the text on a tiny screen embedded in the right lens.

The glasses, called Lens One, will go on sale in the United States in April for $299, the company said, undercutting rival devices from larger technology companies that cost several times as much.

At a launch event in a converted warehouse in San Francisco's Mission District, chief executive Nadia Osei demonstrated the device by holding a conversation with a Japanese-speaking colleague, with English subtitles appearing in her field of view within about a second.

>> The race to build the smartphone's successor is heating up

"We wanted glasses that look like glasses," Osei said. "Most people don't want to wear a computer on their face. They want something that quietly helps them understand the person in front of them."

The frames weigh 42 grams and contain two microphones, a small projector and a battery that the company says lasts about six hours of continuous translation. Speech recognition runs partly on the device and partly in the cloud, depending on the language.

At launch, Lens One will support 12 languages, including Spanish, Mandarin, Japanese, Korean, Hindi and Indonesian. Halcyon said more languages would be added through software updates.

Privacy advocates have raised concerns about wearable devices that continuously listen to conversations. Halcyon said audio is not stored after translation and that a small light on the frame turns on whenever the microphones are active.

Analysts were cautiously optimistic. "Price is the biggest barrier for this category, and $299 is a meaningful step," said Greg Tanaka, a consumer electronics analyst at a research firm in Palo Alto. "The question is whether people will wear them every day."

Halcyon has raised about $85 million from venture capital investors since it was founded in 2020.
""",
    ),
    dict(
        site="meridianpost",
        date="2021-10-06",
        time="13:15",
        section="health",
        slug="who-recommends-first-malaria-vaccine-for-children-in-africa",
        title="WHO recommends first malaria vaccine for children in Africa",
        author="Laura Bennett",
        tags=["Malaria", "Vaccines", "WHO", "Africa"],
        ext="html.gz",
        body="""
GENEVA - The World Health Organization on Wednesday recommended the widespread use of the first vaccine against malaria, a decision health officials described as a milestone in the fight against a disease that kills hundreds of thousands of African children every year.

The vaccine, known as RTS,S, is recommended for children in sub-Saharan Africa and in other regions with moderate to high transmission of the Plasmodium falciparum parasite, the deadliest form of malaria. It is given in four doses, starting from five months of age.

The recommendation follows a pilot program in Ghana, Kenya and Malawi that began in 2019 and has reached more than 800,000 children. The WHO said the results showed the vaccine was safe and significantly reduced severe, life-threatening malaria.

>> Mosquito nets treated with new insecticide show promise in Tanzania trial

The agency's director-general called it a historic moment, saying the long-awaited vaccine could save tens of thousands of young lives each year if it were widely deployed.

The vaccine's efficacy is modest. In clinical trials, it prevented about four in 10 cases of malaria over four years among children who received all doses. Experts stressed that it should be used alongside existing tools such as bed nets, indoor spraying and antimalarial drugs.

"This is not a silver bullet, but it is a powerful new addition to the toolbox," said Dr. Amina Diallo, a malaria researcher based in Dakar, Senegal. "Even a partially effective vaccine can prevent an enormous number of deaths when the disease burden is this high."

Malaria killed an estimated 409,000 people in 2019, most of them children under five in Africa, according to WHO figures. Progress against the disease had stalled in recent years, and the COVID-19 pandemic disrupted prevention and treatment programs in many countries.

The next step is funding. Global health donors are expected to consider whether to pay for the rollout of the vaccine in eligible countries, and manufacturing capacity will need to expand to meet demand.
""",
    ),
    dict(
        site="meridianpost",
        date="2019-08-22",
        time="12:10",
        section="climate",
        slug="fires-in-brazil-amazon-rainforest-surge",
        title="Fires in Brazil's Amazon rainforest surge, prompting global alarm",
        author="Hannah Li",
        tags=["Amazon", "Brazil", "Deforestation", "Climate"],
        body="""
SAO PAULO - Fires in Brazil's Amazon rainforest have surged this year, according to data from the country's space research agency, drawing alarm from environmental groups and world leaders and putting pressure on President Jair Bolsonaro's government.

The National Institute for Space Research has detected more than 72,000 fires across Brazil since January, an increase of about 80 percent from the same period last year. More than half were in the Amazon region.

On Monday, the sky over Sao Paulo, more than 2,000 kilometers from the rainforest, turned dark in the middle of the afternoon. Meteorologists said a cold front had combined with smoke carried by winds from fires burning in the states of Rondonia and Mato Grosso and in neighboring Bolivia.

>> Why the Amazon matters for the world's climate

Environmental groups say most of the fires are set deliberately by farmers and land grabbers clearing forest for cattle ranching and crops, and that the government's rhetoric has emboldened them. Bolsonaro has criticized Brazil's environmental enforcement agencies and has pushed to open more of the Amazon to mining and agriculture.

The president has rejected the criticism, suggesting without providing evidence that non-governmental organizations could be setting fires to damage his government's image. He also said his government lacked the resources to fight the blazes.

"What we are seeing is the predictable result of weakened enforcement," said Carla Menezes, a forest policy researcher in Brasilia. "The dry season makes fires spread, but someone has to light them first."

The Amazon, the world's largest tropical rainforest, stores vast amounts of carbon, and scientists warn that continued deforestation could push parts of it past a tipping point at which it begins to turn into savanna.

French President Emmanuel Macron said on Thursday that the fires were an international crisis and called for the issue to be discussed at the Group of Seven summit in Biarritz this weekend.
""",
    ),
    # ------------------------------------------------------------------ The Daily Ledger
    dict(
        site="thedailyledger",
        date="2023-07-17",
        time="13:05",
        section="world",
        slug="russia-pulls-out-of-black-sea-grain-deal",
        title="Russia pulls out of Black Sea grain deal, raising fears over global food prices",
        author="Thomas Whitcombe",
        tags=["Russia", "Ukraine", "Food security", "Black Sea"],
        body="""
Russia has withdrawn from the Black Sea grain deal that allowed Ukraine to ship food through its ports despite the war, the Kremlin said on Monday, a move that sent wheat prices higher and prompted warnings of hunger in poorer countries.

The agreement, brokered by the United Nations and Turkey in July last year, had enabled Ukraine to export about 33 million tonnes of grain and other foodstuffs through a protected corridor in the Black Sea.

A Kremlin spokesman told reporters in Moscow that the deal had ended because the parts of it concerning Russia's own exports of food and fertiliser had not been implemented. He said Russia would return to the arrangement as soon as its demands were met.

>> Explosions damage bridge linking Crimea to Russian mainland

The announcement came hours after an attack on the Kerch bridge linking Russia to annexed Crimea, which Moscow blamed on Ukrainian sea drones. The Kremlin said the two events were not connected.

Wheat futures in Chicago rose by about 3% in early trading before paring gains. Traders said markets had partly priced in the risk of the deal collapsing, after Moscow had repeatedly threatened to walk away.

The UN secretary general said he deeply regretted the decision, warning that people facing hunger around the world would pay the price.

Ukraine's president, Volodymyr Zelenskyy, said Kyiv was ready to continue exports through the Black Sea without Russia's participation and urged Turkey and the UN to keep the corridor open. Shipping insurers, however, said few vessels would be willing to sail without security guarantees.

"The immediate effect on global supply is manageable, because harvests elsewhere look good," said Fiona Cartwright, a commodities analyst in London. "The bigger worry is for import-dependent countries in Africa and the Middle East that have little cushion against higher prices."
""",
    ),
    dict(
        site="thedailyledger",
        date="2022-06-21",
        time="10:20",
        section="uk-news",
        slug="rail-strike-brings-britains-trains-to-a-standstill",
        title="Rail strike brings Britain's trains to a standstill in biggest walkout for 30 years",
        author="Eleanor Marsh",
        tags=["Rail strikes", "Unions", "Transport"],
        body="""
Hundreds of thousands of passengers faced disrupted journeys on Tuesday as the biggest rail strike in Britain for three decades brought much of the network to a halt.

About 40,000 members of the Rail, Maritime and Transport union working for Network Rail and 13 train operating companies walked out in a dispute over pay, job security and working conditions. Further strikes are planned for Thursday and Saturday.

Only around a fifth of normal services were running, and many lines were closed entirely. Where trains were operating, they ran only between 7.30am and 6.30pm. London Underground services were also severely affected by a separate walkout.

>> What are my rights to a refund if my train is cancelled?

Picket lines formed outside major stations including London Euston, Manchester Piccadilly and Glasgow Central from early morning. Union leaders told reporters that workers had been left with no choice after their pay had fallen far behind rising prices.

The government has said the strikes are unnecessary and that the railway must modernise after the pandemic left it dependent on billions of pounds of taxpayer support. Ministers accused the union of harming the very passengers whose fares pay its members' wages.

Commuters described a difficult morning. "I left home an hour early and still had to get a bus for the last part," said Priya Shah, a nurse travelling from Reading to west London. "I understand why they are striking, with prices going up the way they are, but it is hard on people like me who can't work from home."

Road traffic data showed congestion in several cities was higher than usual, as more people drove to work. Businesses in city centres, still recovering from the pandemic, warned of a further hit to footfall.

Network Rail said services on Wednesday would also be affected, with trains starting later than usual because staff on overnight signalling shifts would not return in time. Talks between the union and employers are due to continue.
""",
    ),
    dict(
        site="thedailyledger",
        date="2020-12-08",
        time="11:40",
        section="uk-news",
        slug="uk-begins-mass-covid-vaccination-programme",
        title="UK begins mass Covid vaccination programme as first patients receive jab",
        author="Rebecca Hale",
        tags=["Coronavirus", "Vaccines", "NHS"],
        body="""
A 90-year-old woman became the first person in the world to receive the Pfizer/BioNTech coronavirus vaccine outside a clinical trial on Tuesday, as the UK began the largest vaccination programme in its history.

She received the jab shortly after 6.30am at a hospital in Coventry, a week before her 91st birthday, and was applauded by staff as she was wheeled back along the ward.

The NHS has received an initial 800,000 doses of the vaccine, which must be stored at around -70C. The first to be vaccinated are people aged 80 and over, care home workers and health and social care staff judged to be at highest risk.

>> How will the vaccine be stored and delivered to care homes?

Dozens of hospital hubs across England, Scotland, Wales and Northern Ireland began administering the vaccine on what ministers called V-Day. Patients are asked to return after 21 days for a second dose.

The health secretary urged the public to be patient, warning that most of the population would not be offered a vaccine until next year and that restrictions would remain in place for months.

Public health officials said the rollout would be one of the most complex logistical operations ever undertaken by the health service, as each batch must be divided carefully and transported without breaking the cold chain.

For many of those first in line, the moment was emotional. "It feels like the start of the end of a very long year," said a retired teacher in his eighties who was vaccinated at a hospital in Cardiff. "I want to see my grandchildren again without worrying."

The UK became the first country to approve the Pfizer/BioNTech vaccine last week, after the medicines regulator concluded that it met strict standards of safety and effectiveness. Trials have suggested it is about 95% effective at preventing Covid-19.
""",
    ),
    dict(
        site="thedailyledger",
        date="2023-08-17",
        time="09:30",
        section="education",
        slug="a-level-top-grades-fall-as-england-returns-to-pre-pandemic-marking",
        title="A-level top grades fall as England returns to pre-pandemic marking",
        author="James Pettigrew",
        tags=["A-levels", "Schools", "Exams"],
        body="""
The proportion of A-level entries awarded top grades has fallen sharply this year, as exam boards in England returned to pre-pandemic grading standards, figures published on Thursday showed.

Just over 27% of entries across the UK were awarded an A* or A, down from about 36% last year but still slightly above the figure in 2019, the last year of exams before the Covid-19 pandemic.

Grades were inflated during the pandemic, when exams were cancelled in 2020 and 2021 and results were based on teachers' assessments. Last year was meant as a transition, and the exams regulator said in advance that grading in 2023 would be broadly in line with 2019.

>> University clearing: how it works and what to do if you missed your offer

Scotland, Wales and Northern Ireland have taken a more gradual approach to bringing grades back down, meaning results differ between the nations.

At a sixth-form college in Leeds, students gathered in the hall early in the morning to open their envelopes. "I was so nervous I couldn't eat breakfast," said Aisha Rahman, 18, who secured the grades she needed to study medicine. "My friends and I kept telling each other it would be harder this year."

Head teachers' unions said the fall was expected but warned that the pandemic had left a long shadow. "These students missed a great deal of face-to-face teaching when they were in year 9 and 10," said a spokesperson for one association. "They deserve enormous credit for what they have achieved."

The universities admissions service said most applicants had secured a place at their first-choice university, and that thousands of courses remained available through clearing.

The education secretary congratulated students and said restoring pre-pandemic standards was important to ensure qualifications held their value for employers and universities.
""",
    ),
    dict(
        site="thedailyledger",
        date="2022-08-05",
        time="08:50",
        section="culture",
        slug="edinburgh-fringe-returns-at-full-scale",
        title="Edinburgh Fringe returns at full scale for first time since pandemic",
        author="Rebecca Hale",
        tags=["Edinburgh Festival Fringe", "Comedy", "Theatre"],
        body="""
The Edinburgh Festival Fringe opens in full on Friday for the first time since the pandemic, with more than 3,000 shows expected to fill theatres, pubs, church halls and courtyards across the Scottish capital over the next three and a half weeks.

This year marks the 75th anniversary of the Fringe, which began in 1947 when eight theatre companies turned up uninvited to perform alongside the newly created Edinburgh International Festival.

The festival was cancelled in 2020 and ran in a much reduced, partly online form last year. Organisers say ticket sales so far are encouraging, though still below the record levels seen in 2019.

>> Ten comedy shows to book before they sell out

Performers have warned that soaring accommodation costs are pricing out newcomers. Some say they are paying several thousand pounds for a room for the month, prompting calls for the city to cap short-term rents during the festival.

"You come here to take a risk on a show that nobody has heard of," said Callum Reid, a comedian from Dundee performing his first hour-long set. "But if it costs you five grand before you've sold a single ticket, only people with savings can take that risk."

The Fringe Society, which supports the festival but does not programme it, said it was working with universities and housing providers to offer cheaper rooms to artists, and had set up a fund to help with travel costs.

Street performers returned to the Royal Mile on Thursday evening as crowds gathered for the preview weekend. Local businesses said they hoped the festival would help bars and restaurants recover from two difficult years.

The Fringe runs until 29 August.
""",
    ),
    dict(
        site="thedailyledger",
        date="2019-12-13",
        time="07:45",
        section="politics",
        slug="conservatives-win-large-majority-as-labour-suffers-worst-defeat-since-1935",
        title="Conservatives win large majority as Labour suffers worst defeat since 1935",
        author="Thomas Whitcombe",
        tags=["General election 2019", "Conservatives", "Labour"],
        ext="htm",
        body="""
Boris Johnson's Conservatives have won a large majority in the general election, securing the party's biggest victory since the 1980s and clearing the way for the UK to leave the European Union next month.

With only one seat left to declare on Friday morning, the Conservatives had won 364 seats, comfortably above the 326 needed for a majority in the House of Commons. Labour had 203 seats, its worst result since 1935.

The Conservatives made gains across the Midlands, the north of England and Wales, taking seats that had voted Labour for generations, many of which backed leaving the EU in the 2016 referendum.

>> Full results: see how your constituency voted

Speaking at his count in Uxbridge, the prime minister said the result appeared to give the government a powerful new mandate to get Brexit done. He later thanked voters who had backed the Conservatives for the first time, acknowledging that many had never done so before.

The Labour leader, Jeremy Corbyn, said he would not lead the party into another general election but would stay on while it reflected on the result. Several senior Labour figures blamed the party's Brexit policy, while others pointed to the leadership.

In Scotland, the Scottish National Party won 48 of the 59 seats, and its leader said the result strengthened the case for a second independence referendum. The Liberal Democrat leader, Jo Swinson, lost her own seat in East Dunbartonshire.

The pound rose sharply against the dollar and the euro as the exit poll was published at 10pm on Thursday, with investors welcoming the prospect of an end to the political deadlock that has gripped Westminster since 2016.

Turnout was about 67%, slightly lower than at the 2017 election. The new parliament is expected to meet next week, and the government has said it will bring back its Brexit bill before Christmas.
""",
    ),
    # ------------------------------------------------------------------ Asia Pacific Wire
    dict(
        site="asiapacificwire",
        date="2023-09-13",
        time="09:30",
        section="asia",
        slug="putin-hosts-kim-jong-un-at-vostochny-cosmodrome",
        title="Putin hosts Kim Jong Un at Vostochny cosmodrome, signals help with satellites",
        author="Kenji Watanabe",
        tags=["North Korea", "Russia", "Kim Jong Un", "Vladimir Putin"],
        body="""
VOSTOCHNY COSMODROME, Russia (APW) - Russian President Vladimir Putin welcomed North Korean leader Kim Jong Un at Russia's most modern space launch centre on Wednesday, signalling that Moscow was prepared to help Pyongyang with its satellite programme as the two isolated countries drew closer.

Putin greeted Kim with a long handshake at the Vostochny cosmodrome in the Amur region of Russia's Far East, and the two leaders toured a rocket assembly hall before sitting down for talks that lasted several hours.

Asked by Russian state media whether Russia would help North Korea build satellites, Putin indicated that this was the reason the meeting was being held at the spaceport, saying the North Korean leader had shown great interest in rocket technology.

>> North Korea's spy satellite launch fails for second time

Kim, who arrived by armoured train after a journey of more than a day from Pyongyang, told Putin that Russia had risen to defend its sovereignty and that North Korea would always stand with Moscow, according to a Kremlin account of the meeting.

The summit was closely watched in Washington, Seoul and Tokyo, where officials fear that Russia, which has used up huge quantities of artillery ammunition in Ukraine, is seeking to buy shells and rockets from North Korea. In return, Pyongyang is believed to want advanced technology for its weapons and space programmes.

"Any arms deal would be a direct violation of U.N. Security Council resolutions," a South Korean foreign ministry official said in Seoul. "We are closely monitoring the situation with our allies."

Kremlin officials said military cooperation had not been discussed publicly but declined to rule it out. Russia's defence minister, Sergei Shoigu, and Foreign Minister Sergei Lavrov were among the officials present at the talks.

Kim invited Putin to visit North Korea at a convenient time, and the Kremlin said the invitation had been accepted.

It was the leaders' second summit, following a meeting in Vladivostok in April 2019. Kim is expected to visit other sites in the Russian Far East, including aircraft factories, before returning home.
""",
    ),
    dict(
        site="asiapacificwire",
        date="2023-08-30",
        time="16:05",
        section="asia",
        slug="north-korea-fires-two-short-range-ballistic-missiles-into-sea",
        title="North Korea fires two short-range ballistic missiles into sea, Seoul says",
        author="Min-ji Park",
        tags=["North Korea", "Missiles", "South Korea"],
        body="""
SEOUL (APW) - North Korea fired two short-range ballistic missiles toward the sea off its east coast late on Wednesday, South Korea's military said, in an apparent response to joint military exercises by South Korea and the United States.

The missiles were launched from an area near Pyongyang shortly before midnight and flew around 350 to 400 km before falling into the waters between the Korean Peninsula and Japan, the Joint Chiefs of Staff said in a statement.

It is rare for North Korea to conduct a launch so late at night. Analysts said the timing appeared intended to demonstrate that its forces could carry out strikes at any hour.

>> U.S. bombers join drills over Korean Peninsula

Japan's defence ministry said the missiles appeared to have landed outside its exclusive economic zone, and there were no reports of damage to ships or aircraft. Tokyo said it had lodged a strong protest through diplomatic channels.

"North Korea's repeated ballistic missile launches are a serious provocation that undermines peace and stability on the Korean Peninsula and in the international community," the Joint Chiefs of Staff said.

The launch came as South Korea and the United States were holding their annual late-summer exercise, which Pyongyang condemns as a rehearsal for invasion. Earlier on Wednesday, U.S. bombers had taken part in drills with South Korean and Japanese fighter jets.

North Korea last week failed for a second time in its attempt to put a military spy satellite into orbit, and state media said it would try again in October.

The launches also come amid growing concern about military cooperation between North Korea and Russia. U.S. officials have said that arms negotiations between the two countries were actively advancing, and that Kim Jong Un could meet President Vladimir Putin in the coming weeks.
""",
    ),
    dict(
        site="asiapacificwire",
        date="2019-04-07",
        time="06:10",
        section="asia",
        slug="hundreds-of-foreign-runners-join-pyongyang-marathon",
        title="Hundreds of foreign runners join Pyongyang marathon",
        author="Sophie Tran",
        tags=["North Korea", "Marathon", "Tourism"],
        body="""
PYONGYANG (APW) - Hundreds of amateur runners from around the world joined thousands of North Koreans on the streets of Pyongyang on Sunday for the city's annual marathon, one of the few occasions when foreign tourists can mingle with local residents in the North Korean capital.

The race began and ended at Kim Il Sung Stadium, where tens of thousands of spectators filled the stands. Runners followed a looping course past landmarks including the Arch of Triumph and along the banks of the Taedong River.

Tour agencies that organise trips to North Korea said several hundred foreign amateurs had registered for this year's event, which offers full marathon, half marathon, 10-kilometre and 5-kilometre races. Most travelled to Pyongyang via Beijing on tightly supervised tours.

>> Beijing travel agencies report rise in bookings for North Korea tours

Residents lined the streets, clapping and waving at the runners. Along some sections of the course, groups of children high-fived foreign participants as they passed.

"It is a strange feeling to run through a city you have only seen in the news," said Martin Lindqvist, a 41-year-old engineer from Gothenburg, Sweden, who completed the half marathon. "People were friendly and cheered for everyone, although we were not allowed to stop and talk."

Elite athletes from several countries competed for the top prizes, with results announced by North Korea's state sports authorities at the stadium after the race.

The marathon, officially named after a district of the capital, is held each April around the anniversary of the birth of the country's founder, Kim Il Sung. It was opened to foreign amateur runners in 2014.

Tourism is one of the few sources of foreign currency not directly targeted by United Nations sanctions imposed over North Korea's nuclear and missile programmes. The United States bans its citizens from travelling to North Korea without special permission.
""",
    ),
    dict(
        site="asiapacificwire",
        date="2021-11-13",
        time="21:30",
        section="climate",
        slug="cop26-ends-with-glasgow-climate-pact-after-coal-compromise",
        title="COP26 ends with Glasgow climate pact after last-minute coal compromise",
        author="Arjun Mehta",
        tags=["COP26", "Climate change", "Coal"],
        body="""
GLASGOW, Scotland (APW) - Nearly 200 countries agreed on Saturday to a deal aimed at keeping alive the goal of limiting global warming to 1.5 degrees Celsius, after a last-minute change to language on coal left many delegates frustrated.

The Glasgow Climate Pact, adopted a day after the two-week COP26 summit had been scheduled to end, asks countries to strengthen their 2030 emissions-cutting targets by the end of next year, rather than waiting five years as previously agreed.

For the first time in a U.N. climate agreement, the text refers to reducing the use of coal, the most polluting fossil fuel. But at the insistence of India and China, a pledge to phase out unabated coal power was softened to a phase-down in the final hours of negotiations.

>> Asia's coal-dependent economies face pressure to set clear exit dates

The British minister who presided over the conference apologised to delegates for the way the process had unfolded, appearing emotional as he told the closing session that he understood their deep disappointment.

Small island nations, which face existential threats from rising seas, said the deal did not go far enough but accepted it to preserve progress. "We are disappointed, but we would rather have something to build on than nothing at all," said a negotiator from a Pacific island state.

The agreement also urges wealthy nations to at least double funding to help developing countries adapt to climate change by 2025 compared with 2019 levels. Developing countries had pushed for a dedicated fund for loss and damage caused by climate disasters, but richer countries resisted.

Analysts said that even if all the pledges made in Glasgow were fully implemented, the world would still be on track for warming well above 1.5C. "The door to 1.5 is still open, but only just," said Nila Prasetya, a climate policy researcher in Jakarta.

The next U.N. climate summit, COP27, will be held in Sharm el-Sheikh, Egypt, in November next year.
""",
    ),
    dict(
        site="asiapacificwire",
        date="2024-01-02",
        time="06:20",
        section="asia",
        slug="powerful-earthquake-in-central-japan-kills-dozens",
        title="Powerful earthquake in central Japan kills dozens as rescuers race to reach survivors",
        author="Kenji Watanabe",
        tags=["Japan", "Earthquake", "Ishikawa"],
        body="""
TOKYO (APW) - Rescue teams in central Japan searched through collapsed houses on Tuesday for survivors of a powerful earthquake that struck the Noto Peninsula on New Year's Day, killing at least 48 people and leaving tens of thousands without power or water.

The magnitude 7.6 quake hit Ishikawa prefecture on the Sea of Japan coast shortly after 4 p.m. on Monday, when many families had gathered for holiday celebrations. It was followed by dozens of strong aftershocks.

In the port city of Wajima, a large fire broke out after the quake and destroyed more than 200 buildings in a historic district known for its morning market. Aerial footage showed rows of blackened lots where wooden shops and homes had stood.

>> Tsunami warnings lifted along Japan's Sea of Japan coast

Prime Minister Fumio Kishida said the government was in a race against time to rescue people trapped under rubble, and that more than 1,000 military personnel had been deployed to the area. Damaged roads and landslides were hampering efforts to reach some communities.

The Japan Meteorological Agency had issued a major tsunami warning for parts of the coast shortly after the quake, urging residents to flee to higher ground. Waves of more than a metre were recorded at several locations, and the warning was later downgraded.

"The house shook so hard that I could not stand up," said Hiroko Nakamura, 67, who was staying at an evacuation centre in a school gymnasium in Suzu. "When we came outside, the road was split and the neighbour's house was gone."

More than 30,000 people were staying in evacuation shelters on Tuesday, according to local officials. Water supplies were cut in many areas, and mobile phone service was disrupted.

Japan sits on the Pacific Ring of Fire and experiences frequent earthquakes. The Noto region has been hit by a series of tremors since 2020, which scientists have linked to the movement of fluids deep underground.
""",
    ),
    dict(
        site="asiapacificwire",
        date="2020-03-09",
        time="09:45",
        section="business",
        slug="asian-markets-plunge-as-oil-price-war-and-virus-fears-rattle-investors",
        title="Asian markets plunge as oil price war and virus fears rattle investors",
        author=None,
        tags=["Markets", "Oil", "Coronavirus"],
        body="""
HONG KONG (APW) - Stock markets across Asia tumbled on Monday as a collapse in oil prices added to fears about the economic damage from the coronavirus outbreak, sending investors rushing into the safety of government bonds and gold.

Japan's Nikkei 225 index fell more than 5%, Hong Kong's Hang Seng lost over 4% and Australia's benchmark index dropped more than 7%, its biggest one-day fall since the 2008 global financial crisis.

Oil prices plunged by as much as 30% when trading opened, after Saudi Arabia slashed its selling prices and signalled it would raise production following the collapse of talks with Russia on output cuts. Brent crude briefly fell close to $31 a barrel.

>> Airlines cut flights across Asia as travel demand collapses

"Markets were already fragile because of the virus, and now we have an oil price war on top of it," said a Hong Kong-based strategist at an international bank. "Investors are selling first and asking questions later."

The yield on the benchmark 10-year U.S. Treasury note fell to a record low, while the Japanese yen, often seen as a safe haven, strengthened sharply against the dollar.

The number of confirmed coronavirus infections has passed 110,000 worldwide, with outbreaks spreading rapidly in Italy, South Korea and Iran. Italy over the weekend placed much of its northern region under lockdown.

Energy producers were among the hardest-hit stocks in the region, while shares in airlines and tourism companies extended recent heavy losses. Indonesia's main index fell more than 6% and the rupiah weakened against the dollar.

Analysts said central banks were likely to respond with further interest rate cuts, following an emergency half-point cut by the U.S. Federal Reserve last week.
""",
    ),
]
