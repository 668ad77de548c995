/**
 * The offline blocklist behind the password policy: commonly used passwords and the words they are
 * built from, curated by hand for this project (nothing is downloaded at build or run time). It holds
 * the head of the widely published "most common passwords" lists, common English and Danish first
 * names and words, Danish towns, months, weekdays and football clubs, words from this study's own
 * context (the study name, roles, "admin", "test"), and keyboard walks and sequences.
 *
 * Entries are compared after normalisation (see `passwords.ts`): lower case, look-alike characters
 * mapped back to letters ("p@ssw0rd" → "password"), separators removed, and leading or trailing
 * digits and symbols stripped, so "Sommer2024!" and "P@ssw0rd-1234" both match. This covers the
 * commonest password *shapes*; it is not the Have-I-Been-Pwned corpus (hundreds of millions of
 * leaked passwords), which cannot be shipped offline at a sensible size.
 */

/** Blocklisted words (lower case), one string to keep the module small; see `BLOCKLIST`. */
const WORDS =
  '!qaz2wsx 0000 000000 0123456789 0987654321 1111 11111 111111 11111111 112233 121212 123123 123123123 ' +
  '123123123123 123321 1234 12344321 12345 1234512345 123456 1234567 12345678 123456789 1234567890 123456789012 ' +
  '1234567890123 12345678910 123456a 1234qwer 123654 123qwe 123qweasdzxc 131313 1470258369 147258369 147852369 ' +
  '159357 159753 1q2w3e 1q2w3e4r 1q2w3e4r5t 1q2w3e4r5t6y 1q2w3e4r5t6y7u8i9o0p 1qaz2wsx 1qaz2wsx3edc ' +
  '1qaz2wsx3edc4rfv 1qazxsw2 2000 222222 232323 2580 333333 555555 654321 666666 696969 741852963 777777 7777777 ' +
  '8675309 87654321 888888 88888888 963258741 963852741 987654 987654321 999999 a123456 aaaaaa aab aalborg aarhus ' +
  'aaron aauh abc123 abc12345 abcd1234 abcdefghijkl abcdefghijklmnop abcdefghijklmnopqrstuvwxyz abigail access ' +
  'adam adgangskode adgangskoden adidas admin administrator agf alan albert alberte alexander alexis alice amanda ' +
  'amber america amy anders andrea andrew android angel angel1 angela angels ann anna anne anthony anything apple ' +
  'apples april arsenal arthur artrose asdfasdf asdfasdfasdf asdfgh asdfghjk asdfghjkl asdfghjklqwertyuiop ashley ' +
  'audi august auh austin autumn azertyuiop baby babygirl badboy bailey banana barbara barn barney baseball ' +
  'baseball1 basketball batman batman1 bear beautiful beauty benjamin bente berlin betty beverly bigdaddy bigdog ' +
  'billy bird birgitte biteme black blomst blomster blowme blue bmw bobby boern bond007 booboo boomer boston ' +
  'boxing brandon brandy brazil brenda brian brittany broendby brondby bror brother bruce bryan brøndby bubbles ' +
  'bulldog buster butter børn camaro camilla canada candy carl carlsberg carol caroline carolyn cartilage casper ' +
  'castle cat catherine cecilie changeit changeme charles charlie charlotte cheese chelsea cherry cheryl chester ' +
  'chicago chicken china chocolate chris christ christian christina christine christopher church clara ' +
  'clinicaltrial cocacola cocksucker coffee college compaq computer computer1 contrasena cookie coordinator ' +
  'corvette cowboy cowboys cricket crystal cykel cykling cynthia dakota dallas dance daniel danielle danmark ' +
  'dannebrog darling datamanager datter daughter david deborah debra december default demo denise denmark dennis ' +
  'devil diablo diamond diana diane dick doctor dog doggie doggy dolphin donald donna doris dorothy dorte douglas ' +
  'dragon dragon1 dream dreams dsmb dylan eagle eagles edward efteraar efterår elijah elizabeth elskerdig ' +
  'elskermig emil emily emma england enter eric esbjerg ethan eugene evelyn facebook falcon familie family far ' +
  'farfar farmor farvel father fck fckobenhavn fcm fcn februar fender ferrari fish fishing flower fodbold ' +
  'football football1 foraar forest forever forskning forsoeg forsøg fortnite forår frances frank fredag ' +
  'fredericia frederik freedom freedom1 freja friend friends gabriel game gamer games gandalf garden gary gateway ' +
  'gemini george gerald gfhjkm ghbdtn ginger gitte gloria god goddag golden golf golfer google grace green ' +
  'gregory guest guitar haandbold hacker hallo hammer hannah hanne hans happy hardcore harley harold haslo ' +
  'heather heaven heidi hejhej hejmeddig helen hell helle hello hello1 hello123 hellohello hemmelig hemmelighed ' +
  'hemmeligt henrik henry herning heslo hest hesten hilleroed hillerød hjoerring hjørring hockey hockey1 ' +
  'holstebro home honda honey horse horsens hospital hospitalet house hund hunden hunter hygge hyggelig håndbold ' +
  'iceman ida iloveu iloveyou iloveyou1 india inge instagram internet internet1 investigator iphone isabella jack ' +
  'jackson jacob jacqueline jakob james janet janice januar japan jasmine jason jasper jazz jean jeffrey ' +
  'jegelskerdig jelszo jennifer jens jeremy jerry jesper jesse jessica jesus jette joan joe john johnny joint ' +
  'jonas jonathan jordan jordan1 jordan23 jose josefine joseph joshua joyce juan judith judy juli julie juni ' +
  'junior justin kaereste kaerlighed karen kasper kat katherine kathleen kathryn katten kayla keith kelly kenneth ' +
  'kevin killer kimberly king kingdom kirsten kitten kitty klaster klinik knae knee knees knight knæ kobenhavn ' +
  'kodeord koebenhavn koege kolding kyle kæledyr kæreste kærlighed københavn køge laege lakers landsholdet larry ' +
  'lars laura lauren lawrence lego lemon lene letmein letmein1 letmein123 linda line linux lion lisa lkjhgfdsa ' +
  'loerdag logan login logon london lone lord losen losenord louis louise love lovely loveme loveyou lozinka ' +
  'lucas lucky læge lørdag madison mads maggie magic magnus maj maja malene mandag mango margaret maria marianne ' +
  'marie marilyn marina marine mario mark marlboro martha martin marts mary mason master master1 mathias mathilde ' +
  'matrix matthew maverick megan melissa mercedes merlin mesenchymal metal mette mexico michael michael1 michelle ' +
  'mickey microsoft midnight mike mikkel miller minecraft mnbvcxz money monitor monkey monkey1 monster moon mor ' +
  'morfar morgan mormor morten motdepasse mother mountain music mustang naestved nancy nanna naruto nascar ' +
  'natalie natasha nathan ncc1701 nicholas nicole niels nikita nikolaj ninja nissan noah nokia norway nothing ' +
  'november nurse næstved ob ocean odense oktober oliver olivia onsdag orange osteoarthritis ouh p4ssw0rd ' +
  'pa$$word pa55word pamela panther panties paris parola party pass passord passw0rd passwd password password1 ' +
  'password12 password123 password1234 passwort patient patricia patrick paul peach peanut pepper peter ' +
  'pharmacist philip phoenix pia piano pikachu pirate pizza player please poiuytrewq pokemon porsche pretty ' +
  'prince princess princess1 prinsesse punk puppy purple q1w2e3r4 q1w2e3r4t5 q1w2e3r4t5y6 qazwsx qazwsxedc ' +
  'qazwsxedcrfv queen qweasd qweasdzxc qwer1234 qwerty qwerty1 qwerty123 qwertyqwerty qwertyu qwertyui qwertyuiop ' +
  'qwertyuiopasdfghjkl qwertzuiop rabbit rachel racing raiders rainbow ralph randers randersfc randy ranger ' +
  'rangers rasmus raymond rebecca red redcap redsox regionh regionmidt regionnord regionsjaelland regionsyd ' +
  'research richard rigshospitalet rikke river robert roblox rock rodgrod roger ronald root roskilde roy rugby ' +
  'runner russell russia ruth ryan rødgrød salasana samantha samsung samuel samurai sandra sanne sara sarah ' +
  'school scooby scooter scott sean sebastian secret senha september shadow shadow1 shannon shark sharon shirley ' +
  'signe signin silkeborg silkeborgif silver simon sister skanderborg skat skattebasse skatter skive slagelse ' +
  'slayer smile smoerrebroed smokey smørrebrød snake snoopy soccer soccer1 soen soendag soenderborg soester sofie ' +
  'soldier solskin something sommer sonic sophia sophie soren sparky spider spring star stars starwars starwars1 ' +
  'statistician steelers stem stemcell stemcells stemjoint stemjoint1 stephanie stephen steven stine strawberry ' +
  'student studie study sugar summer summer2020 sun sundhed sunshine sunshine1 superliga superman superman1 susan ' +
  'susanne svendborg sweden sweetheart sweetie swimming sygehus sygeplejerske sysadmin system søn søndag ' +
  'sønderborg søren søster taastrup tak tanja taylor teacher temp temporary tennis tennis1 teresa terry test ' +
  'tester testing testuser theresa thomas thunder thx1138 tiger tigers tigger timothy tina tirsdag tobias tokyo ' +
  'toor torsdag toyota trial trine trustno1 tuborg tucker twitter tyler ubuntu university user username vejle ' +
  'vejleboldklub velkommen velkommen1 ven venner viborg victor victoria vincent vinter virginia volkswagen ' +
  'volleyball volvo wachtwoord walter warrior wayne welcome welcome1 welcome123 whatever whatever1 white william ' +
  'willie windows winner winston winter winter2020 wizard wolf wxcvbn xxxxxx yamaha yankees yellow youtube ' +
  'yxcvbnm zachary zaq12wsx zaq12wsxcde3 zaq1zaq1 zelda zxcvbn zxcvbnm zxcvbnm123 zxcvbnmasdfghjkl zyxwvutsrqponm ' +
  'ålborg århus';

/** The blocklist as a set, built once. */
export const BLOCKLIST: ReadonlySet<string> = new Set(WORDS.split(' '));
