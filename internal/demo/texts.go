package demo

// The text sections of the demo agreements, transcribed from the source
// documents in shared/seeds (000: KISAM, 001: IKF, 002: Stadsmissionen,
// 003: Botkyrka). Only layout marks of the transcription (underline and bold
// markers, tabs) are removed; wording and spelling are the documents' own.
const (
	kisamPurpose = `Partnerskapet syftar till att gemensamt stödja utrikesfödda kvinnor och mammor som befinner sig långt ifrån arbetsmarknaden och lever i utanförskap i kommunens utsatta områden. KISAM-Världens mammors verksamhet är ett komplement till kommunens och andra aktörers befintliga verksamheter. Syftet är att genom olika förstegsinsatser rusta kvinnor med kunskap, självtillit till den egna förmågan, språkstöd samhällskunskap, breddade referensramar och därigenom visa på vägar till utbildning och arbete.

Partnerskapet ska leda till att deltagarna kan öka sin anställningsbarhet, testa och träna sin förmåga att bli mer aktiv och närma sig arbetsmarknaden.

Syftet med överenskommelsen är också att skapa ett långsiktigt hållbart Linköping, minska segregationen, utanförskap och fattigdom. Genom att stärka samspelet mellan kommunen och civilsamhället kan de insatser som görs samordnas och bli mer adekvata och effektiva.

- Skapa en plattform för samverkan och kunskapsbyggande på en operativ och strategisk nivå för frågor kan bidra till en mindre segregerad och mer samhallen kommun.
- Nå en ökad kunskap om den målgrupp som föreningen möter, vilket bedöms leda till ökade insikter och klokare användning av såväl föreningens som kommunens resurser.
- Nå en ökad kunskap om utsatta mammors/kvinnors situation och deras behov för att komma vidare i sina liv, i arbete och /eller utbildning.

USP KISAM-Världens mammor

- Vi når och engagerar en, enligt statistiken, på många sätt särskilt utsatt målgrupp som få andra aktörer når. Och vi har kommunikationskanalerna samt metoderna som går fram.
- Vi arbetar enbart med kvinnor och mammor som lever på särskilt utsatta och utsatta områden
- Den här målgruppen har ofta lågt förtroende för myndigheter och kommun. Vi i Världens mammor har under fem års tid byggt upp ett förtroende hos målgruppen vilket gör att vi kan motverka osanna rykten och "fake news" som kan spridas på sociala medier kring exempelvis polis, socialtjänst, skola, vaccinering m.m
- Vi arbetar i enlighet med KISAM-metoden med konsten som metod i lärande och att lära genom att erfara och uppleva praktiskt
- Vi arbetar med kunskap genom att uppleva och erfara, praktisk samhällsinformation, rollspel, besök till exempelvis arbetsplatser, utbildningsarrangörer, viktiga samhällsaktörer m.fl.
- Vi utgår från målgruppens behov och gör förändringsarbetet tillsammans.
- Vi bidrar till rörlighet bland mammor, där även kvinnor från bl.a. Berga, Ryd och Lambohov deltar i vår verksamhet i Skäggetorp
- Vi har skapat arbetssätt och metoder som enligt följeforskare gett goda resultat både gällande integration och hälsa och som målgruppen vill vara delaktig i.`

	kisamBackground = `Linköpings kommun liksom resten av Sverige har en stor samhällsutmaning i den ökade segregationen och dess konsekvenser i form av otrygghet, kriminalitet, dåliga skolresultat, arbetslöshet, utanförskap

i utsatta och särskilt utsatta områden. Att integreras/inkluderas i vårt Svenska samhälle är en komplex och mångfacetterad utmaning. Det här handlar om ett långsiktigt gemensamt arbete där många parter samarbetar. Särskilt svårt är det för utrikesfödda kvinnor/mammor att komma ut i arbete och/eller studier

Sammantaget är utrikes födda kvinnor diskriminerade och underrepresenterade i hela etableringsuppdraget. De får mindre stöd än män, trots större behov. De får färre uppföljningar, färre språktimmar, mindre praktik och lägre grad av subventionerade anställningar. Många får barn kort efter att de anlänt och försvinner ur systemet. De är också ofta fast i en patriarkal struktur där kvinnor inte förvärvsarbetar.

I en rapport om subventionerade anställningar från Anders Kjellberg och Olle Frödin, forskare vid sociologiska institutionen vid Lunds universitet visar att 64 procent av de som fick anställningsstöd 2007 var män och 65 procent år 2018. Av dem med nystartsjobb sjönk andelen kvinnor från 32 procent 2016 till 27 procent 2018. (UR ARTIKEL DAGENS ARENA 3 JUNI 2019)

KISAM-Världens mammor är en ideell förening som grundades i Motala 2016 när Barnavårdscentralen slog larm om att många mammor och barn i socialt utsatta områden satt isolerade i sina hem. Verksamheten har sedan start vuxit snabbt och nu bedriver vi verksamhet på 4 utsatta bostadsområden i Östergötland, varav Skäggetorp är vår bas. Vår målgrupp är främst mammor/kvinnor samt deras barn och ungdomar. I Skäggetorp besöker ca 300 mammor/kvinnor och ca 1000 barn och ungdomar regelbundet vår verksamhet i lokalen i Skäggetorps centrum.

Under 5 års tid har vi i KISAM-Världens mammor utarbetat en metod, kallad KISAM-metoden som visat sig vara framgångsrik enligt forskare som följt vårt arbete. Metoden visar på positiva effekter för hälsa, egenmakt, integration, sysselsättning mm. Vi når och engagerar en målgrupp som många andra har stora svårigheter att nå. Därav får vi kontinuerligt olika aktörer, kommunala, regionala och nationella som önskar få deltagare till sina verksamheter och/eller att ta del av vår kunskap.

Vi i KISAM har genom vårt arbete och tusentals möten med kvinnor/mammor och deras barn skaffat oss en gedigen kunskap om målgruppens situation och behov. Vad som fungerar och vad som inte fungerar. Vi har byggt upp en expertis i hur man kan arbeta konkret kring kommunikation, utbildning, delaktighet, att tillsammans med målgruppen hitta lösningar och en tro på att man faktiskt kan förändra. Vår ambition är att fler kvinnor/mammor ska kunna komma ut i jobb och studier, fler mammor ska kunna axla föräldrarollen och vara starka förebilder för sina barn, att mammor och barn får redskap till att kunna göra positiva livsval.

2019-2020 genom medel från Postkodstiftelsen arbetade vi fram och genomförde en ny 1-årig ledarskapsutbildning av KISAM-Världens mammor för 20 mammor/kvinnor varav merparten stod långt från arbete. Av de 13 som examinerades fick 12 jobb efteråt!

Sverige skiljer sig mycket från nästan alla länder i världen`

	kisamValues = `Vår verksamhet är öppen för alla kvinnor/mammor och deras barn och ungdomar

Kisam -Världens mammors värdegrund utgår ifrån

ALLAS LIKA VÄRDE – OAVSETT

- Religion
- Politisk tillhörighet
- Kultur, tradition, språk
- Utbildningsnivå
- Funktionsnedsättning
- Status

Respektera våra olikheter

Värdegrund i partnerskapet

Partnerskapet ska bygga på respekt inför varandras olika förutsättningar, öppenhet och dialog som karaktäriseras av ömsesidig lyhördhet och förståelse. Även långsiktighet, transparens och acceptans för kritik är centrala i värdegrunden som denna överenskommelse vilar på.

Samarbeten mellan de samverkande aktörerna ska kännetecknas av öppenhet och gemensamt lärande samt ett flexibelt och prestigelöst förhållningssätt till varandra som samverkansaktörer, ett gemensamt lärande kring målgruppen och metoder. Detta för utveckling av arbetsmetoder och för att sprida erfarenheterna och kunskap vidare.`

	kisamTargetGroup = `Kvinnor/mammor som bor i utsatta områden i Linköpings kommun

MÅLGRUPP: Kvinnor mammor utan egenförsörjning som bor på utsatta områden i Linköpings kommun. Merparten av vår målgrupp har en lång/mycket lång väg till sysselsättning. Anledningen att vi vänder oss särskilt till mammor/kvinnor är att enligt statistiken är kvinnor/mammor på utsatta områden särskilt utsatta och diskriminerade när det gäller arbetsmarknadsinsatser, möjlighet till arbete och egenförsörjning. Många mammor är ensamstående med många barn och även gifta kvinnor har oftast huvudsakliga ansvaret för barnen och hemmet. Många kommer från patriarkala diktaturer där kvinnans roll är att vara i hemmet och ta hand om barnen.`

	kisamActivities = `Förstegsinsatser som komplement till kommunens insatser – med syftet att främst utrikesfödda kvinnor ska kunna närma sig sysselsättning i form av arbete och/eller studier. Det sker en kontinuerlig intagning i verksamheten, vilket förväntas leda till att mellan 40-60 kvinnor kommer att delta i insatsen under ett kalenderår. Deltagandet i insatsen sker på frivillig basis.

I förstegsinsatsen arbetar vi med konsten som metod i lärandet. Vi arbetar både med teori och praktik, genom samtal och praktiskt lärande som exempelvis rollspel besök hos olika samhällsaktörer och arbetsgivare, erfar vi och får ökad kunskap och förståelse för det Svenska samhället och olika yrken/utbildningar. Vi arbetar med förutsättningsfrämjande insatser för att synliggöra och överbrygga de hinder som idag gör att så många av kvinnorna inte har kommit vidare i sysselsättning trots mångåriga insatser av ex. SFI, praktik samhällsorientering mm.

Vi anpassar vår verksamhet med utgångspunkt av målgruppens nivå, behov och önskemål samt skräddarsyr aktiviteter och insatser för största möjliga effekt. Vi arbetar oftast med gruppen som katalysator i lärandet men ger också individuell coaching. Vi lär om det svenska samhället, förbättrar språkkunskaper, stärker självkänslan, vilka förväntningar som ställs som anställd på den svenska arbetsmarknaden. Ambitionen är att de deltagande kvinnorna ska hitta sin väg vidare i livet för att snabbare komma i sysselsättning. Merparten av kvinnorna vet generellt väldigt lite om den svenska arbetsmarknaden förutom inom vård/omsorg- och städområdet. Samtidigt vet vi att vår målgrupp har en sämre hälsa och har svårt att på längre sikt klara av fysiskt tunga arbeten. Vi vill bredda referensramarna och skapa nya möten mellan vår målgrupp och potentiella arbetsgivare och/eller utbildningsinsatser genom exempelvis studiebesök. Vi kommer att skapa ett nätverk av potentiella arbetsgivare och även hålla workshops för arbetsgivare kring mottagandet av kvinnor som är nya på den svenska arbetsmarknaden, detta för att öka möjligheterna för lyckad praktik/anställning.

För att säkerställa mammornas deltagande och även heldagarsaktiviteter behöver vi kunna erbjuda skapandeaktiviteter och gemenskap för barnen

Skapandeträffar fem-sex gånger i veckan sammanlagt 15 timmar (ca 250 skapandeträffar per år)
En gång i veckan en kortare kunskapsutflykt, till arbetsplatser, natur, olika utbildningar eller att vi får besök av expertis inom ett viss område ex. inom hälsa, mat, prata om stress, kultur, rättigheter/skyldigheter, jämställdhet . De ämnen som mammorna vill veta mer om eller vad vi bedömer att mammorna kunde ha nytta av. En dag för individuella samtal, rådgivning och coaching, hitta riktning och sätta mål, strategier för att uppnå sina mål. Sommartid kan skapandeträffarna ersättas av heldagars kunskapsutflykter

Sammanlagt ca 40 kortare och längre kunskapsutflykter och besök och/eller föreläsningar

Två till tre enskilda samtal/coaching á två till tre timmar per deltagare, beräknat på ett deltagarantal på 50 personer

Alla som vi gjort studiebesök hos och som besökt (särskilt potentiella arbetsgivare) kommer vi i slutet av året bjuda in till migelkväll och "speed date" vår lokal med mycket god mat!

Verksamhetsledaren kommer att bjuda in både offentliga och privata arbetsgivare till en till två workshops om mottagande av utrikesfödda kvinnor på arbetsplatser. Där vi tillsammans med mammorna/kvinnorna/arbetsgivarna delar erfarenheter och olika frågeställningar.`

	kisamOrganisation = `KISAM-Världens mammor kompletterar kommunens arbete med integrations- och förstegsinsatser för målgruppen utrikesfödda mammor och deras barn. I partnerskapet vill vi sträva efter att på bästa sätt samverka med kommunens insatser och aktiviteter för att nå så bra resultat som möjligt. Vi samverkar också med andra organisationer och civilsamhällesaktörer i frågorna.

Aktiviteterna som detta IOP avser planeras och genomförs av verksamhetsledare och personal i KISAM-Världens mammor. Världens mammor svarar för den löpande verksamheten och för lokaler. Varje aktör i partnerskapet utser två representanter, som ingår i en samverkansgrupp för gemensam uppföljning och processstyrning av verksamheten som ingår i överenskommelsen.`

	kisamEconomy = `KISAM-Världens mammor bidrag i partnerskapet är;

Ideellt arbete

20% av 25000 kr i 12 månader x 2 personer = 282 000 kr
(Handledning, planering, kunskapshöjande insatser)

Heltidsanställd för praktiskt genomförande och stöd 332 000 kr

Hyra för lokal 15 000 kr/månad 180 000 kr

Fika ca 850 kr/vecka x 47 veckor 40 000 kr

+

834 000 kr

Ekonomi / år

För varje nytt kalenderår justeras kostnaderna för pris- och löneutveckling med 2%.

Löner 2 anställda hel- och deltid

Verksamhetsledare heltid 36 000 kr/månad 600 000 kr
Assistent till verksamhetsledare och aktivitetsledare för barnen 60% av 28 000 kr/månad + moms och sociala avgifter 282 000 kr
Administration 5 000 kr/månad x 12 månader 60 000 kr
Försäkringar 15 000 kr
Skapande material 800 kr/vecka x 47 veckor 40 000 kr
Busskort för studiebesök, kortare kunskapsutflykter 48 000 kr
Teknik och utbildningsmaterial 40 000 kr
PR/Information 10 000 kr
 1 095 000 kr

Kunskapsutflykter 10 st/heldagar/år

Busshyra heldag 12 000kr/dag 120 000 kr
Mat + förbrukningsmaterial 1000 kr/gång x 10 st 10 000 kr
Guider/guidade visningar/inträde 20 000 kr
Milersättning följebil ca 30 mil/gångx18,5 kr/mil x 10 st 6 000 kr
 156 000 kr

Linköpings kommun TOTALT 1 251 000 KR`

	kisamFollowUp = `Avstämning och uppföljning av denna överenskommelse sker i form av dialogmöten, mellan parterna minst en gång per år eller då någon av aktörerna påkallar behov.

Arbetsmarknadsförvaltningen ansvarar för att bjuda in till gemensamma träffar. Alla berörda aktörer bidrar med underlag till denn uppföljning efter en gemensamt framtagen och strukturerad modell. Syftet med uppföljningen är att utvärdera hur genomförandet av överenskommelsen bidrar till att nå målsättningen, samt att få underlag för att utveckla verksamheten.`

	ikfPurpose = `Partnerskapet syftar till att gemensamt stötta kvinnor till att uppleva sig mer integrerade i Linköping och Sverige genom ökad självförtroende och kunskap om det svenska samhället. Detta sker med hjälp av ett holistiskt perspektiv, där hela livssituationen beaktas.

Syftet med överenskommelsen är att skapa ett långsiktigt hållbart Linköping genom att stärka samspelet mellan den offentliga och idéburna sektorn för att tillsammans skapa goda förutsättningar för målgruppens inkludering i samhället.`

	ikfBackground = `Målgruppen för IKFs verksamhet finns framför allt i områden i Linköping med socioekonomiska utmaningar. Det tillsammans med andra begränsningar, som brister i svenska språket, gör att målgruppen i stor utsträckning känner av ett utanförskap och en exkludering från det svenska samhället.

IKF:s lokaler ligger i en inkluderande miljö i Linköping och erbjuder ett offentligt rum förbehållet för kvinnor att möta andra kvinnor. Det i sin tur stärker målgruppens självförtroende; kvinnorna finner en social trygghet i att umgås och delta i aktiviteter med andra kvinnor, arrangerade av kvinnor, och det är aktiviteter som inkluderar alla oavsett kulturella, sociala eller funktionella förutsättningar.

Arbetsmarknadsnämndens målgrupper har olika behov av stöd på sin väg mot sysselsättning och arbete. Integration- och arbetsmarknadsförvaltningen strävar efter att erbjuda varje individ som beviljas ekonomiskt bistånd i Linköpings kommun en meningsfull aktivitet utanför hemmet för att förebygga och motverka utanförskap och psykosocial ohälsa, och främja delaktighet i samhället och på arbetsmarknaden.

IKF är en etablerad aktör med flerårig erfarenhet av att arbeta med målgruppen. Inom IKF finns det etablerade verksamheter som är aktiva i nära relation med målgruppen, vilket leder till att målgruppen visar särskilt förtroende för verksamheten. IKF strävar efter att rekrytera medarbetare och volontärer med bred kompetens att möta målgruppen, och inom föreningen finns kunskap om akutsjukvård, integrationsfrågor, vuxenutbildning och socialtjänst. Genom det här partnerskapet skapas möjligheter för kommunen att tillsammans med IKF skapa

mervärden för en målgrupp som annars är svår att nå och inkluderas i samhället på lika villkor. Effekterna av partnerskapet förstärks genom att parterna samverkar för att ge förutsättningar för självförtroende och delaktighet i individens egen process för inkludering och mot egen försörjning.`

	ikfValues = `Partnerskapet ska bygga på den överenskommelse som finns mellan den ideburna sektorn och Linköpings kommun, vilken omfattar principerna om integritet, dialog, långsiktighet, öppenhet och mångfald.

Den gemensamma värdegrunden mellan parterna i detta avtal tar sig uttryck i följande principer, som skall verka vägledande för verksamheten inom ramarna för partnerskapet:

- Alla människor, både män och kvinnor, unga som gamla, har lika värde. Varje människa är unik, kan utvecklas och har rätt att påverka sin livssituation.
- Tillsammans skapar vi förutsättningar för att människor ska kunna växa till sin fulla potential och uppleva ökad självförtroende.
- Fler kvinnor ska ha möjlighet att bryta utanförskap och isolering som grundar sig i socioekonomiska och sociodemografiska orsaker.
- Tillsammans skapar vi mötesplatser mellan människor av olika bakgrund i syfte att främja en god integration i det svenska samhället och motverka utanförskap genom kunskap och social samverkan.
- Alla kvinnor i Linköping ska ha samma förutsättningar och möjligheter till inkludering i olika sociala sammanhang, på sina egna villkor.
- Vi bryter tillsammans stereotypiska uppfattningar om kulturgrundande könsuppdelningar och arbetar aktivt för ett mer jämställt samhälle.
- Vi arbetar aktivt för känslan av att vara en del av en samhällelig gemenskap genom att ge målgruppen möjligheter att bryta ett ofrivilligt utanförskap.`

	ikfTargetGroup = `Den primära målgruppen är utomeuropeiskt födda kvinnor, boende i Linköping, som befinner sig i en självupplevd isolering på grund av kulturella och sociala faktorer och löper risk att fastna i ett långvarigt biståndsbehov. Sekundär målgrupp för denna överenskommelse är alla kvinnor i Linköping samt övriga familjemedlemmar, både män och barn. Målgruppen befinner sig i riskzonen att hamna i ett varaktigt utanförskap och bör därför erbjudas en meningsfull aktivitet utanför hemmet, som även kan verka som ett försteg innan kommunens övriga arbetsmarknadsinsatser tar vid.

En målgrupp i riskzon: Målgruppen riskerar att drabbas av, eller befinna sig i, psykisk ohälsa och har behov av sortering eller eliminering av strukturella hinder för att kunna fokusera på sitt lärande och kompetensutveckling. Att ta alla steg som behövs för att både nå en bättre

hälsa och hitta en ingång för etablering på arbetsmarknaden kan upplevas stort och stundvis omöjligt att göra på egen hand. Partnerskapet och de gemensamma insatserna är av stor vikt för att stötta deltagarna i processen att återfå tron på den egna förmågan och för att bygga förtroende för de utbildnings- och arbetsmarknadsinstanser och/eller myndigheter som finns för att stötta individen.`

	ikfActivities = `IKF arrangerar olika aktiviteter som utgår från ett holistiskt hälsoperspektiv och ansvarar för att resurser att hantera aktiviteter och administration finns tillgängliga. Varje vecka arrangeras "Må bra"-grupper, där kvinnorna under handledning från en av föreningens kursledare lär sig svenska, samhällsorientering och mer om hälsa, hur man kan göra för att må så bra fysiskt och psykiskt som möjligt. Deltagarna får stöd från familjepedagog inom ramarna för aktiviteter som arrangeras. Insatsen innefattar promenader i naturen och utflykter till närliggande utflyktsmål; lättare träningspass, samt gruppsamtal. IKF ansvarar för motivationshöjande aktiviteter eller insatser, vilket även innefattar aktiviteter för att träna deltagarnas sociala färdigheter i realistiska miljöer.

Det holistiska perspektivet innebär att även övriga familjemedlemmar bemöts inom ramarna för föreningens verksamhet i form av att män och barn också kommer att inkluderas främst i aktiviteter som leds av familjepedagog.`

	ikfOrganisation = `Aktivitetserna inom ramarna för denna IOP planeras och genomförs av volontärer och personal inom IKF. Idéer till aktiviteter kommer från deltagarna själva, samt från de behov som personal och styrelse från IKF uppfattar från målgruppen. Deltagare anvisas till verksamheten genom koordinatorsfunktionen på Integration- och arbetsmarknadsförvaltningen. Regelbundna uppföljningssamtal genomförs med anvisande tjänsteperson på Integration- och arbetsmarknadsförvaltningen, med syfte att sörja för att individens handlingsplan efterlevs och uppdateras utifrån dennes behov. Parterna åtar sig att tillsammans verka för att minst 60 deltagare per år bereds plats i verksamheten.`

	ikfEconomy = `Det sammanlagda värdet för insatsen beräknas till 910 000 kronor/år.

Linköpings kommuns del består i att bekosta handledning för gruppverksamheten samt personalkostnader för administration och ekonomi som tillkommer föreningen i och med denna insats:

Handledning; 30 h/vecka (1 200 h/år) 330 000 kronor
Administration/ekonomi; 11 h/vecka (440 h/år) 120 000 kronor
Totalt 450 000 kronor

IKF:s del består i arbetstid för individuella motiverande insatser samt familjepedagog, samordning med kommunen för att följa upp deltagarna samt kostnader för lokal som används under merparten av insatsens verksamheter:

Individuella motiverande samtal/familjepedagog; 30 h/vecka (1 200 h/år) 330 000 kronor
Administration/samordning; 4 h/vecka (160 h/år) 45 000 kronor
Lokalkostnader 75 000 kronor
Totalt 450 000 kronor

För varje nytt kalenderår justeras kostnaderna för pris- och löneförändring med 2%.`

	ikfFollowUp = `Givet att denna överenskommelse syftar till att tillsammans möta målgruppens behov, och givet att Integration- och arbetsmarknadsförvaltningen står inför ett omfattande utvecklingsarbete rörande både förvaltningsstruktur och arbetssätt, bygger partnerskapet mellan Linköpings kommun och IKF på kontinuerlig dialog i vilken båda parter löpande ges utrymme att utvärdera och utveckla samverkan. Om inte annat initiativ tages sammankallar Integration- och arbetsmarknadsförvaltningen till dessa dialogmöten minst två gånger per år.

Lärdomar kring hur målgruppen når måluppfyllelse kan spridas och komma andra verksamheter till gagn.

Parterna åtar sig att en gång per år rapportera genomförda aktiviteter och utfall av dessa skriftligt till arbetsmarknadsnämnden.`

	ikfTermination = `Om den ena av parterna väsentligt åsidosätter vad som framgår av denna överenskommelse kan överenskommelsen hävas med omedelbart verkan. Samma gäller om någon av parterna kommer på obestånd eller på annat sätt missköter uppdraget på så sätt att det allvarligt riskerar att rubba förtroendet. I händelse av att överenskommelsen hävs ska reglering av ekonomi ske på sådant sätt att faktiskt uppkomna kostnader enligt denna överenskommelse ersätts. I övrigt ska parterna inte ha några ekonomiska anspråk.`

	smPurpose = `Partnerskapet syftar till att gemensamt stödja de personer som befinner sig i isolering pga. att de inte kan omvandla sina kunskaper och kompetens till självförsörjning, samt möjliggöra för personerna i målgruppen att bryta sitt utanförskap och närma sig arbetsmarknaden.

Syftet med överenskommelsen är att skapa ett långsiktigt hållbart Linköping genom att stärka samspelet mellan den offentliga och idéburna sektorn.

Partnerskapet ska leda till att berörda deltagare kan öka sin anställningsbarhet, testa och träna sin förmåga att bli mer aktiv och närma sig arbetsmarknaden.`

	smBackground = `Linköpings kommun betalar ut drygt 21 miljoner kronor i ekonomiskt bistånd per månad (2017). Inträde på arbetsmarknaden och in i samhället tar många år trots stora rekryteringsbehov på marknaden. Detta innebär stora samhällsekonomiska förluster men även individuella förluster i hälsa och livskvalitet. De samhällsekonomiska kostnaderna för en arbetslös person i utanförskap kan förenklat räknas fram genom att räkna ihop årskostnaden för reala insatser på ca 150 000 per person med kostnaden för produktionsbortfall på ca 350 000 kr per person (räknat på 20 000/månadslön). Dock är de sociala värdena än mer betydelsefulla för individen och dennes omgångskrets. En person som befinner sig i långvarig arbetslöshet eller sjukskrivning kan lätt hamna i en ond cirkel vilket kan innebära isolering från den sociala samvaron samt en längre väg tillbaka in på arbetsmarknaden.

För personer i eller på väg in i utanförskap, är problematiken sammansatt och består t.ex. av neuropsykiatriska, sociala, psykologiska och ekonomiska komponenter. Den är inledningsvis ofta diffus och svår att upptäcka. En hållbar lösning förutsätter gränsöverskridande och samverkande insatser från ett flertal aktörer inom flera olika myndigheter. Personerna som ingår i målgruppen har ofta antingen negativa erfarenheter eller har tröttnat på insatser från myndigheter och kommunala verksamheter.

Kommunen klarar inte denna problematik på egen hand. Genom engagemang från den idéburna sektorn finns möjligheter och ett bredare utbud för människor i fråga om kunskap, förtroende och kraft. Stadsmissionen är en välfungerande aktör i Linköpings kommun med flerårig erfarenhet och redan etablerade verksamheter som arbetar aktivt med denna målgrupp. Stadsmissionen har därför ett värdefullt förtroende från målgruppen, redan från start.`

	smValues = `Partnerskapet ska bygga på den överenskommelse som finns mellan den idéburna sektorn och Linköpings kommun, vilken omfattar principerna om integritet, dialog, långsiktighet, öppenhet och mångfald.

Den gemensamma värdegrunden emellan LK och Stadsmissionen kännetecknas i denna överenskommelse av:

- Alla människor har lika värde. Varje människa är unik, kan utvecklas och har rätt att påverka sin livssituation.
- Tillsammans skapar vi förutsättningar för att människor ska kunna växa till sin fulla potential och uppleva ökad egenmakt och detta mäts med verktyget ”grundläggande anställningsbarhet” (GA)¹.
- Fler individer ska få möjlighet att snabbare komma ut och integreras in till arbetsmarknaden och att de arbetsintegrationsplatserna som finns nyttjas till fullo.
- Kvalitetssäkring av individens väg till egenförsörjning genom en progressiv stegförflyttning.

Att arbeta och att få rutiner i sin vardag är ofta en förutsättning för att bryta mönster och att långsiktigt förändra sitt liv. Det gemensamma målet med det här partnerskapet är att ge plats åt en större mångfald av människor på arbetsmarknaden. Fler individer ska ges möjlighet att bli delaktiga i arbetslivet, lära sig nya yrken och utvecklas efter egen förmåga. Centralt är att se varje enskild individs förmåga och potential, samt att var och en får den integritet de behöver för sin utveckling.`

	smTargetGroup = `Målgruppen är kommuninvånare som står långt från arbetsmarknaden, det vill säga personer som inte lyckats eller fullgjort ordinarie skolgång och som står i risk i att behöva eller uppbär ekonomiskt bistånd. Det är personer som har en bedömd arbetsförmåga om minst 10 timmar/ vecka. Rekrytering sker bland boende i Linköpings kommun. Målgruppen kommer ifrån socioekonomiskt utsatta områden och grupper som riskerar att fastna i ett varaktigt utanförskap.

¹ Se bilaga ”GA-modellen”.

En målgrupp i riskzon: Målgruppen riskerar att drabbas av, eller befinna sig i psykisk ohälsa och har behov av hinderröjning för att kunna fokusera på sitt lärande och kompetensutveckling. Vi har medborgare inom målgruppen som lider av till exempel posttraumatisk stress, depression och/eller isolering. Att ta alla steg som behövs för att både nå en bättre hälsa och hitta en ingång för etablering på arbetsmarknaden kan upplevas stort och stundvis omöjligt att göra på egen hand. Partnerskapet och de gemensamma insatserna är av stor vikt för stötta deltagarna i processen att återfå tron på den egna förmågan och för att bygga förtroende för de utbildning- och arbetsmarknadsinstanser och/eller myndigheter som finns för att stötta.`

	smActivities = `Det sker en kontinuerlig intagning i verksamheten av personer med olika anvisningstider, vilket förväntas leda till att mellan 40 - 80 personer kommer att delta i insatsen under ett kalenderår.

Syftet med insatserna inom detta partnerskap är kontakt med arbetsställen med fokus på kompetensinventering och individens utveckling ökad anställningsbarhet inom bristyrken och lågtröskelyrken utifrån språk och arbetsförmåga, med anknytning till yrkesinriktad språkträning. Deltagarna får med hjälp av handledare ett personligt, språkligt och yrkesmässig stöd och utveckling för att närma sig arbetsmarknaden och nå egenförsörjning.

Önskad effekt är att deltagare har en progression enligt GA-modellen för att på så vis närma sig arbetsmarknaden och efter avslutad insats gå vidare mot antingen studier eller arbete. Coachning och handledande samtal används som verktyg för att stärka deltagarnas självförtroende och kompetensbaserad självkänsla. Individuella utvecklingsplaner (IUP) ska innehålla både kortsiktiga och långsiktiga individens planer/mål, med regelbundna uppföljningar.

En öppen, jämställd och jämlik verksamhet: IOP innefattar alla som hör till målgruppen oavsett kön, könsidentitet, etnicitet, religion eller annan trosuppfattning, sexuell läggning, ålder samt funktionsvariation och följer Linköping kommuns policy för jämställdhet och mångfald. Planering och genomförande anpassas efter varje enskild deltagares nuläge.

Utvecklingssteg IOP: Erbjuder ett antal deltagare en arbetsmarknadspolitisk anställning knutet till olika verksamheter inom Stadsmissionens regi i syfte att stärka deras väg in i arbetsmarknaden.`

	smOrganisation = `Stadsmissionen bygger en arena för arbetsintegration för målgruppen med ett brett utbud av yrken och en verksamhet med möjlighet att lära ut yrken och

validera kunskaper hos deltagarna. Genom samarbeten med andra idéburna aktörer i Linköpings kommun, samt med Jobb- och kunskapstorget kommer Stadsmissionen att direkt kunna fånga upp individer och coacha dessa vidare till arbetsintegration, arbete och/ eller studier.

All kommunikation om deltagare sker efter samtycke mellan deltagaren, handläggare från Stadsmissionen och respektive myndighet. All kommunikation sker på så vis att inte sekretessregler överträds.`

	smEconomy = `Linköpings kommun bidrar med lönen för två heltidstjänster för handläggarstödet.

Heltidstjänst inkl. sociala avgifter och semesterersättning 550 000 kr
Heltidstjänst inkl. sociala avgifter och semesterersättning 550 000 kr
Totalt från Linköpings kommun per år: 1 100 000 kr

Linköpings Stadsmissions bidrag med stöd i form av:

Yrkescoachning inom yrken enligt punkt 5 (5 yrkescoacher á 27 000/månad 20 %/12 månader) Verksamhetsledare á 35 000/månaden 30 % (10 % *3 Café, restaurang, Second hand) 649 500 kr
Utbildningslokal 10 000/månaden (Teoretisk yrkesutbildning, jobbsökaraktivitet, coachning och handledning, workshops) 120 000 kr
Teknik, utbildning och utbildningsmaterial (Datorer för jobbsök, workshops, yrkesutbildning, seminarier och studiebesök) 70 000 kr
Volontärsinsats – Mentorskap för deltagarna (25 000/månaden 20 % i 12 månader) 141 000 kr
Totalt från Linköpings stadsmission per år: 980 500 kr

Linköpings Stadsmission ansvarar för den löpande verksamheten, är arbetsgivare för personalen och har arbetsmiljöansvar. Deltagare omfattas av Linköpings kommuns försäkring under insatstiden.`

	smFollowUp = `Lärdomar kring hur målgruppen når måluppfyllelse kan spridas och komma andra verksamheter till gagn. Linköpings kommun (representerad av avdelningen för arbetsmarknad och integration) och Linköpings Stadsmission ska gemensamt minst en gång per år träffas för att följa upp arbetet. Linköpings Stadsmission åtar sig att en gång per år rapportera arbetet skriftligt till arbetsmarknadsnämnden. För att kunna bedöma om partnerskapet fått avsedd effekt vad gäller resurser för avsedd målgrupp följs partnerskapet upp regelbundet under året inom ramarna för överenskommelsens styrgrupp.

Utvärdering av effektmål sker med utgångspunkt på hur många aktiva deltagare som har gjort en stegförflyttning enligt GA-modellen, samt en uppföljning till vilken vidare insats deltagaren går efter avslutad tid inom insatsen. Parterna kommer överens om datum för rapportering.`

	smTermination = `Överenskommelsen gäller tid enligt punkt 8. Om den ena av parterna väsentligt åsidosätter vad som framgår av denna överenskommelse kan överenskommelsen hävas med omedelbart verkan. Samma gäller om någon av parterna kommer på obestånd eller på annat sätt missköter uppdraget på så sätt att det allvarligt riskerar att rubba förtroendet. I händelse av att överenskommelsen hävs ska reglering av ekonomi ske på sådant sätt att faktiskt uppkomna kostnader enligt denna överenskommelse ersätts. I övrigt ska parterna inte ha några ekonomiska anspråk.`

	botkyrkaPurpose = `Att främja utrikesfödda kvinnors ökade möjligheter till ett livslångt arbetsliv och ökat livsutrymme. Att kvinnor får ta del av insatser på likvärdiga villkor som män.`

	botkyrkaTargetGroup = `Nyanlända eller långtidsarbetslösa utrikesfödda kvinnor, 25-64 år.`

	botkyrkaBackground = `Tillväxt Kvinna är ett projekt där man genom tvärsektoriell samverkan mellan Botkyrka kommun, Arbetsförmedlingen och lokala idéburna organisationer skapar förutsättningar och utvecklar strukturer som möjliggör att utrikes födda kvinnor utanför arbetsmarknaden kommer in i arbete.

Projektet vill bryta processen där kvinnorna systematiskt deltar i olika offentligt finansierade insatser under en längre tid utan att få ett lönearbete. Projektformen idéburet offentligt partnerskap (IOP), en samarbetsform mellan idéburna organisationer och offentlig verksamhet. Parter som ingår är Botkyrka kommun och Arbetsförmedlingen tillsammans med de idéburna organisationerna Hela Människan, Studieförbundet Bilda och Botkyrka folkhögskola.`

	botkyrkaActivities = `Samverkansinsatser är utbildning, nätverksbyggande, psykosocialt stöd och förbättrad hälsa, uppsökande och motiverande insatser och matchning till arbete. Exempel på aktiviteter är mentorskap ”kvinna leder kvinna”, nätverksträffar med arbetsgivare, språkstärkande aktiviteter, hälsofrämjande teman, utbildning (folkhögskola) med inriktning handel, arbetsträning med handledning.`

	botkyrkaOrganisation = `De tre idéburna organisationerna står för den största delen av insatserna. Arbetsförmedlingen ansvarar för att anvisa deltagare till verksamheterna och Botkyrka kommun ansvarar för samordning samt aktiviteter med fokus arbetsgivare/företag. Civilsamhällets organisationer har en tradition av att bygga insatser och program utifrån perspektiv som fångar in många fler aspekter i en individs liv än vad det offentliga kan göra.

Det gör att våra organisationer har kraftfulla verktyg att arbeta med akuta insatser och långsiktigt förändringsarbete. Förmågan och kapaciteten att erbjuda nätverk utanför det professionella arbets- och studieliv är ett mervärde som är specifikt för civilsamhällets
organisationer. Detta är väsentligt för samarbetet.`

	botkyrkaFollowUp = `Förväntat resultat
• Ett hållbart nätverk av arbetsgivare som ska erbjuda ingångar till arbetslivet för utrikesfödda kvinnor i Botkyrka kommun
• Ett nätverk bestående av kvinnliga mentorer som själva har genomgått en etableringsprocess på svensk arbetsmarknad och som har vilja att stödja nya kvinnor
• Ökad och fördjupad samverkan mellan parterna
• Ökat livsutrymme och egenmakt inom målgruppen

Utvärdering
Lärande utvärdering sker genom fokusintervjuer av kvinnorna som deltar. En uppföljning gjordes vid starten hösten 2018, ytterligare uppföljning kommer att göras kontinuerligt. IOP Kvinna Botkyrka ingår även i projektet Tillväxt kvinna Botkyrka med finansiering från Tillväxtverket. Lärande utvärdering sker under projekttiden samt vid avslut av projektet hösten 2020.`
)
