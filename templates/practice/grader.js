/* quizgen practice page: the drill's grading rule, in the browser.
 *
 * An exact port of quizgen/grading.py -- parse_answer, is_correct_value and grade, with the bounded
 * reader of products, powers and roots -- to plain ES2020 (no modules, no dependencies, never eval).
 * Its only input is grading_spec(question) (quizgen/exporters/pagedata.py). Every reading, verdict
 * and message is Python's, except the empty answer's ("type an answer": the drill's names its keys).
 * tests/test_page_grader.py holds the two together: it runs the shared table
 * (tests/shared/grading-table.json) here in Chromium and compares both graders on thousands of drawn
 * inputs. Change grading.py and this file together; the functions keep grading.py's names
 * (_parse_choice -> parseChoice, _read_decimal -> readDecimal, _evaluate -> evaluate, ...).
 *
 * Where JavaScript's defaults differ from Python's, this file does what Python does:
 * - whitespace is str.isspace()'s (strip, split and the regex \s), not JavaScript's \s or trim();
 * - casefold is str.casefold() (ß -> ss, ﬁ -> fi, Cherokee to upper case) and characters this Python's
 *   Unicode does not assign are neither cased nor normalised (the tables below, generated from Python);
 * - the regexes compiled with re.IGNORECASE use the "iu" flags, which match the same letters (ſ, K);
 * - Decimal readings are exact (digit strings), Fractions are BigInt pairs, float(Fraction) is
 *   correctly rounded like Python's integer division, and math.pow is a correctly rounded power
 *   (glibc's, which Python calls, is within 0.52 ulp; Math.pow is not that close);
 * - lengths count code points, as Python's len() does.
 */
var QuizgenGrader = (function () {
  "use strict";

  // BEGIN PYTHON TABLES: written by tests/test_page_grader.py (python_tables) from this Python's
  // unicodedata (Unicode 14.0.0); that test fails when they differ. Do not edit by hand.
  var PY_UNICODE_VERSION = "14.0.0";
  // str.isspace(): what str.strip(), str.split() and the regex \s of grading.py treat as whitespace.
  var PY_WHITESPACE = "\u0009\u000a\u000b\u000c\u000d\u001c\u001d\u001e\u001f \u0085\u00a0\u1680\u2000" +
    "\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000";
  // Each character whose str.casefold() is not its str.lower(), followed by its casefold.
  var PY_CASEFOLD = [
    "\u00b5\u03bc", "\u00dfss", "\u0149\u02bcn", "\u017fs", "\u01f0j\u030c", "\u0345\u03b9",
    "\u0390\u03b9\u0308\u0301", "\u03b0\u03c5\u0308\u0301", "\u03c2\u03c3", "\u03d0\u03b2",
    "\u03d1\u03b8", "\u03d5\u03c6", "\u03d6\u03c0", "\u03f0\u03ba", "\u03f1\u03c1", "\u03f5\u03b5",
    "\u0587\u0565\u0582", "\u13a0\u13a0", "\u13a1\u13a1", "\u13a2\u13a2", "\u13a3\u13a3", "\u13a4\u13a4",
    "\u13a5\u13a5", "\u13a6\u13a6", "\u13a7\u13a7", "\u13a8\u13a8", "\u13a9\u13a9", "\u13aa\u13aa",
    "\u13ab\u13ab", "\u13ac\u13ac", "\u13ad\u13ad", "\u13ae\u13ae", "\u13af\u13af", "\u13b0\u13b0",
    "\u13b1\u13b1", "\u13b2\u13b2", "\u13b3\u13b3", "\u13b4\u13b4", "\u13b5\u13b5", "\u13b6\u13b6",
    "\u13b7\u13b7", "\u13b8\u13b8", "\u13b9\u13b9", "\u13ba\u13ba", "\u13bb\u13bb", "\u13bc\u13bc",
    "\u13bd\u13bd", "\u13be\u13be", "\u13bf\u13bf", "\u13c0\u13c0", "\u13c1\u13c1", "\u13c2\u13c2",
    "\u13c3\u13c3", "\u13c4\u13c4", "\u13c5\u13c5", "\u13c6\u13c6", "\u13c7\u13c7", "\u13c8\u13c8",
    "\u13c9\u13c9", "\u13ca\u13ca", "\u13cb\u13cb", "\u13cc\u13cc", "\u13cd\u13cd", "\u13ce\u13ce",
    "\u13cf\u13cf", "\u13d0\u13d0", "\u13d1\u13d1", "\u13d2\u13d2", "\u13d3\u13d3", "\u13d4\u13d4",
    "\u13d5\u13d5", "\u13d6\u13d6", "\u13d7\u13d7", "\u13d8\u13d8", "\u13d9\u13d9", "\u13da\u13da",
    "\u13db\u13db", "\u13dc\u13dc", "\u13dd\u13dd", "\u13de\u13de", "\u13df\u13df", "\u13e0\u13e0",
    "\u13e1\u13e1", "\u13e2\u13e2", "\u13e3\u13e3", "\u13e4\u13e4", "\u13e5\u13e5", "\u13e6\u13e6",
    "\u13e7\u13e7", "\u13e8\u13e8", "\u13e9\u13e9", "\u13ea\u13ea", "\u13eb\u13eb", "\u13ec\u13ec",
    "\u13ed\u13ed", "\u13ee\u13ee", "\u13ef\u13ef", "\u13f0\u13f0", "\u13f1\u13f1", "\u13f2\u13f2",
    "\u13f3\u13f3", "\u13f4\u13f4", "\u13f5\u13f5", "\u13f8\u13f0", "\u13f9\u13f1", "\u13fa\u13f2",
    "\u13fb\u13f3", "\u13fc\u13f4", "\u13fd\u13f5", "\u1c80\u0432", "\u1c81\u0434", "\u1c82\u043e",
    "\u1c83\u0441", "\u1c84\u0442", "\u1c85\u0442", "\u1c86\u044a", "\u1c87\u0463", "\u1c88\ua64b",
    "\u1e96h\u0331", "\u1e97t\u0308", "\u1e98w\u030a", "\u1e99y\u030a", "\u1e9aa\u02be", "\u1e9b\u1e61",
    "\u1e9ess", "\u1f50\u03c5\u0313", "\u1f52\u03c5\u0313\u0300", "\u1f54\u03c5\u0313\u0301",
    "\u1f56\u03c5\u0313\u0342", "\u1f80\u1f00\u03b9", "\u1f81\u1f01\u03b9", "\u1f82\u1f02\u03b9",
    "\u1f83\u1f03\u03b9", "\u1f84\u1f04\u03b9", "\u1f85\u1f05\u03b9", "\u1f86\u1f06\u03b9",
    "\u1f87\u1f07\u03b9", "\u1f88\u1f00\u03b9", "\u1f89\u1f01\u03b9", "\u1f8a\u1f02\u03b9",
    "\u1f8b\u1f03\u03b9", "\u1f8c\u1f04\u03b9", "\u1f8d\u1f05\u03b9", "\u1f8e\u1f06\u03b9",
    "\u1f8f\u1f07\u03b9", "\u1f90\u1f20\u03b9", "\u1f91\u1f21\u03b9", "\u1f92\u1f22\u03b9",
    "\u1f93\u1f23\u03b9", "\u1f94\u1f24\u03b9", "\u1f95\u1f25\u03b9", "\u1f96\u1f26\u03b9",
    "\u1f97\u1f27\u03b9", "\u1f98\u1f20\u03b9", "\u1f99\u1f21\u03b9", "\u1f9a\u1f22\u03b9",
    "\u1f9b\u1f23\u03b9", "\u1f9c\u1f24\u03b9", "\u1f9d\u1f25\u03b9", "\u1f9e\u1f26\u03b9",
    "\u1f9f\u1f27\u03b9", "\u1fa0\u1f60\u03b9", "\u1fa1\u1f61\u03b9", "\u1fa2\u1f62\u03b9",
    "\u1fa3\u1f63\u03b9", "\u1fa4\u1f64\u03b9", "\u1fa5\u1f65\u03b9", "\u1fa6\u1f66\u03b9",
    "\u1fa7\u1f67\u03b9", "\u1fa8\u1f60\u03b9", "\u1fa9\u1f61\u03b9", "\u1faa\u1f62\u03b9",
    "\u1fab\u1f63\u03b9", "\u1fac\u1f64\u03b9", "\u1fad\u1f65\u03b9", "\u1fae\u1f66\u03b9",
    "\u1faf\u1f67\u03b9", "\u1fb2\u1f70\u03b9", "\u1fb3\u03b1\u03b9", "\u1fb4\u03ac\u03b9",
    "\u1fb6\u03b1\u0342", "\u1fb7\u03b1\u0342\u03b9", "\u1fbc\u03b1\u03b9", "\u1fbe\u03b9",
    "\u1fc2\u1f74\u03b9", "\u1fc3\u03b7\u03b9", "\u1fc4\u03ae\u03b9", "\u1fc6\u03b7\u0342",
    "\u1fc7\u03b7\u0342\u03b9", "\u1fcc\u03b7\u03b9", "\u1fd2\u03b9\u0308\u0300",
    "\u1fd3\u03b9\u0308\u0301", "\u1fd6\u03b9\u0342", "\u1fd7\u03b9\u0308\u0342",
    "\u1fe2\u03c5\u0308\u0300", "\u1fe3\u03c5\u0308\u0301", "\u1fe4\u03c1\u0313", "\u1fe6\u03c5\u0342",
    "\u1fe7\u03c5\u0308\u0342", "\u1ff2\u1f7c\u03b9", "\u1ff3\u03c9\u03b9", "\u1ff4\u03ce\u03b9",
    "\u1ff6\u03c9\u0342", "\u1ff7\u03c9\u0342\u03b9", "\u1ffc\u03c9\u03b9", "\uab70\u13a0",
    "\uab71\u13a1", "\uab72\u13a2", "\uab73\u13a3", "\uab74\u13a4", "\uab75\u13a5", "\uab76\u13a6",
    "\uab77\u13a7", "\uab78\u13a8", "\uab79\u13a9", "\uab7a\u13aa", "\uab7b\u13ab", "\uab7c\u13ac",
    "\uab7d\u13ad", "\uab7e\u13ae", "\uab7f\u13af", "\uab80\u13b0", "\uab81\u13b1", "\uab82\u13b2",
    "\uab83\u13b3", "\uab84\u13b4", "\uab85\u13b5", "\uab86\u13b6", "\uab87\u13b7", "\uab88\u13b8",
    "\uab89\u13b9", "\uab8a\u13ba", "\uab8b\u13bb", "\uab8c\u13bc", "\uab8d\u13bd", "\uab8e\u13be",
    "\uab8f\u13bf", "\uab90\u13c0", "\uab91\u13c1", "\uab92\u13c2", "\uab93\u13c3", "\uab94\u13c4",
    "\uab95\u13c5", "\uab96\u13c6", "\uab97\u13c7", "\uab98\u13c8", "\uab99\u13c9", "\uab9a\u13ca",
    "\uab9b\u13cb", "\uab9c\u13cc", "\uab9d\u13cd", "\uab9e\u13ce", "\uab9f\u13cf", "\uaba0\u13d0",
    "\uaba1\u13d1", "\uaba2\u13d2", "\uaba3\u13d3", "\uaba4\u13d4", "\uaba5\u13d5", "\uaba6\u13d6",
    "\uaba7\u13d7", "\uaba8\u13d8", "\uaba9\u13d9", "\uabaa\u13da", "\uabab\u13db", "\uabac\u13dc",
    "\uabad\u13dd", "\uabae\u13de", "\uabaf\u13df", "\uabb0\u13e0", "\uabb1\u13e1", "\uabb2\u13e2",
    "\uabb3\u13e3", "\uabb4\u13e4", "\uabb5\u13e5", "\uabb6\u13e6", "\uabb7\u13e7", "\uabb8\u13e8",
    "\uabb9\u13e9", "\uabba\u13ea", "\uabbb\u13eb", "\uabbc\u13ec", "\uabbd\u13ed", "\uabbe\u13ee",
    "\uabbf\u13ef", "\ufb00ff", "\ufb01fi", "\ufb02fl", "\ufb03ffi", "\ufb04ffl", "\ufb05st", "\ufb06st",
    "\ufb13\u0574\u0576", "\ufb14\u0574\u0565", "\ufb15\u0574\u056b", "\ufb16\u057e\u0576",
    "\ufb17\u0574\u056d"
  ];
  // Code points unassigned in this Unicode version (hex, a-b a range): Python neither cases nor
  // normalises them, whatever the browser's newer Unicode says.
  var PY_UNASSIGNED =
    "378-379 380-383 38b 38d 3a2 530 557-558 58b-58c 590 5c8-5cf 5eb-5ee 5f5-5ff 70e 74b-74c 7b2-7bf " +
    "7fb-7fc 82e-82f 83f 85c-85d 85f 86b-86f 88f 892-897 984 98d-98e 991-992 9a9 9b1 9b3-9b5 9ba-9bb " +
    "9c5-9c6 9c9-9ca 9cf-9d6 9d8-9db 9de 9e4-9e5 9ff-a00 a04 a0b-a0e a11-a12 a29 a31 a34 a37 a3a-a3b a3d " +
    "a43-a46 a49-a4a a4e-a50 a52-a58 a5d a5f-a65 a77-a80 a84 a8e a92 aa9 ab1 ab4 aba-abb ac6 aca ace-acf " +
    "ad1-adf ae4-ae5 af2-af8 b00 b04 b0d-b0e b11-b12 b29 b31 b34 b3a-b3b b45-b46 b49-b4a b4e-b54 b58-b5b " +
    "b5e b64-b65 b78-b81 b84 b8b-b8d b91 b96-b98 b9b b9d ba0-ba2 ba5-ba7 bab-bad bba-bbd bc3-bc5 bc9 " +
    "bce-bcf bd1-bd6 bd8-be5 bfb-bff c0d c11 c29 c3a-c3b c45 c49 c4e-c54 c57 c5b-c5c c5e-c5f c64-c65 " +
    "c70-c76 c8d c91 ca9 cb4 cba-cbb cc5 cc9 cce-cd4 cd7-cdc cdf ce4-ce5 cf0 cf3-cff d0d d11 d45 d49 " +
    "d50-d53 d64-d65 d80 d84 d97-d99 db2 dbc dbe-dbf dc7-dc9 dcb-dce dd5 dd7 de0-de5 df0-df1 df5-e00 " +
    "e3b-e3e e5c-e80 e83 e85 e8b ea4 ea6 ebe-ebf ec5 ec7 ece-ecf eda-edb ee0-eff f48 f6d-f70 f98 fbd fcd " +
    "fdb-fff 10c6 10c8-10cc 10ce-10cf 1249 124e-124f 1257 1259 125e-125f 1289 128e-128f 12b1 12b6-12b7 " +
    "12bf 12c1 12c6-12c7 12d7 1311 1316-1317 135b-135c 137d-137f 139a-139f 13f6-13f7 13fe-13ff 169d-169f " +
    "16f9-16ff 1716-171e 1737-173f 1754-175f 176d 1771 1774-177f 17de-17df 17ea-17ef 17fa-17ff 181a-181f " +
    "1879-187f 18ab-18af 18f6-18ff 191f 192c-192f 193c-193f 1941-1943 196e-196f 1975-197f 19ac-19af " +
    "19ca-19cf 19db-19dd 1a1c-1a1d 1a5f 1a7d-1a7e 1a8a-1a8f 1a9a-1a9f 1aae-1aaf 1acf-1aff 1b4d-1b4f 1b7f " +
    "1bf4-1bfb 1c38-1c3a 1c4a-1c4c 1c89-1c8f 1cbb-1cbc 1cc8-1ccf 1cfb-1cff 1f16-1f17 1f1e-1f1f 1f46-1f47 " +
    "1f4e-1f4f 1f58 1f5a 1f5c 1f5e 1f7e-1f7f 1fb5 1fc5 1fd4-1fd5 1fdc 1ff0-1ff1 1ff5 1fff 2065 2072-2073 " +
    "208f 209d-209f 20c1-20cf 20f1-20ff 218c-218f 2427-243f 244b-245f 2b74-2b75 2b96 2cf4-2cf8 2d26 " +
    "2d28-2d2c 2d2e-2d2f 2d68-2d6e 2d71-2d7e 2d97-2d9f 2da7 2daf 2db7 2dbf 2dc7 2dcf 2dd7 2ddf 2e5e-2e7f " +
    "2e9a 2ef4-2eff 2fd6-2fef 2ffc-2fff 3040 3097-3098 3100-3104 3130 318f 31e4-31ef 321f a48d-a48f " +
    "a4c7-a4cf a62c-a63f a6f8-a6ff a7cb-a7cf a7d2 a7d4 a7da-a7f1 a82d-a82f a83a-a83f a878-a87f a8c6-a8cd " +
    "a8da-a8df a954-a95e a97d-a97f a9ce a9da-a9dd a9ff aa37-aa3f aa4e-aa4f aa5a-aa5b aac3-aada aaf7-ab00 " +
    "ab07-ab08 ab0f-ab10 ab17-ab1f ab27 ab2f ab6c-ab6f abee-abef abfa-abff d7a4-d7af d7c7-d7ca d7fc-d7ff " +
    "fa6e-fa6f fada-faff fb07-fb12 fb18-fb1c fb37 fb3d fb3f fb42 fb45 fbc3-fbd2 fd90-fd91 fdc8-fdce " +
    "fdd0-fdef fe1a-fe1f fe53 fe67 fe6c-fe6f fe75 fefd-fefe ff00 ffbf-ffc1 ffc8-ffc9 ffd0-ffd1 ffd8-ffd9 " +
    "ffdd-ffdf ffe7 ffef-fff8 fffe-ffff 1000c 10027 1003b 1003e 1004e-1004f 1005e-1007f 100fb-100ff " +
    "10103-10106 10134-10136 1018f 1019d-1019f 101a1-101cf 101fe-1027f 1029d-1029f 102d1-102df " +
    "102fc-102ff 10324-1032c 1034b-1034f 1037b-1037f 1039e 103c4-103c7 103d6-103ff 1049e-1049f " +
    "104aa-104af 104d4-104d7 104fc-104ff 10528-1052f 10564-1056e 1057b 1058b 10593 10596 105a2 105b2 " +
    "105ba 105bd-105ff 10737-1073f 10756-1075f 10768-1077f 10786 107b1 107bb-107ff 10806-10807 10809 " +
    "10836 10839-1083b 1083d-1083e 10856 1089f-108a6 108b0-108df 108f3 108f6-108fa 1091c-1091e " +
    "1093a-1093e 10940-1097f 109b8-109bb 109d0-109d1 10a04 10a07-10a0b 10a14 10a18 10a36-10a37 " +
    "10a3b-10a3e 10a49-10a4f 10a59-10a5f 10aa0-10abf 10ae7-10aea 10af7-10aff 10b36-10b38 10b56-10b57 " +
    "10b73-10b77 10b92-10b98 10b9d-10ba8 10bb0-10bff 10c49-10c7f 10cb3-10cbf 10cf3-10cf9 10d28-10d2f " +
    "10d3a-10e5f 10e7f 10eaa 10eae-10eaf 10eb2-10eff 10f28-10f2f 10f5a-10f6f 10f8a-10faf 10fcc-10fdf " +
    "10ff7-10fff 1104e-11051 11076-1107e 110c3-110cc 110ce-110cf 110e9-110ef 110fa-110ff 11135 " +
    "11148-1114f 11177-1117f 111e0 111f5-111ff 11212 1123f-1127f 11287 11289 1128e 1129e 112aa-112af " +
    "112eb-112ef 112fa-112ff 11304 1130d-1130e 11311-11312 11329 11331 11334 1133a 11345-11346 " +
    "11349-1134a 1134e-1134f 11351-11356 11358-1135c 11364-11365 1136d-1136f 11375-113ff 1145c " +
    "11462-1147f 114c8-114cf 114da-1157f 115b6-115b7 115de-115ff 11645-1164f 1165a-1165f 1166d-1167f " +
    "116ba-116bf 116ca-116ff 1171b-1171c 1172c-1172f 11747-117ff 1183c-1189f 118f3-118fe 11907-11908 " +
    "1190a-1190b 11914 11917 11936 11939-1193a 11947-1194f 1195a-1199f 119a8-119a9 119d8-119d9 " +
    "119e5-119ff 11a48-11a4f 11aa3-11aaf 11af9-11bff 11c09 11c37 11c46-11c4f 11c6d-11c6f 11c90-11c91 " +
    "11ca8 11cb7-11cff 11d07 11d0a 11d37-11d39 11d3b 11d3e 11d48-11d4f 11d5a-11d5f 11d66 11d69 11d8f " +
    "11d92 11d99-11d9f 11daa-11edf 11ef9-11faf 11fb1-11fbf 11ff2-11ffe 1239a-123ff 1246f 12475-1247f " +
    "12544-12f8f 12ff3-12fff 1342f 13439-143ff 14647-167ff 16a39-16a3f 16a5f 16a6a-16a6d 16abf " +
    "16aca-16acf 16aee-16aef 16af6-16aff 16b46-16b4f 16b5a 16b62 16b78-16b7c 16b90-16e3f 16e9b-16eff " +
    "16f4b-16f4e 16f88-16f8e 16fa0-16fdf 16fe5-16fef 16ff2-16fff 187f8-187ff 18cd6-18cff 18d09-1afef " +
    "1aff4 1affc 1afff 1b123-1b14f 1b153-1b163 1b168-1b16f 1b2fc-1bbff 1bc6b-1bc6f 1bc7d-1bc7f " +
    "1bc89-1bc8f 1bc9a-1bc9b 1bca4-1ceff 1cf2e-1cf2f 1cf47-1cf4f 1cfc4-1cfff 1d0f6-1d0ff 1d127-1d128 " +
    "1d1eb-1d1ff 1d246-1d2df 1d2f4-1d2ff 1d357-1d35f 1d379-1d3ff 1d455 1d49d 1d4a0-1d4a1 1d4a3-1d4a4 " +
    "1d4a7-1d4a8 1d4ad 1d4ba 1d4bc 1d4c4 1d506 1d50b-1d50c 1d515 1d51d 1d53a 1d53f 1d545 1d547-1d549 " +
    "1d551 1d6a6-1d6a7 1d7cc-1d7cd 1da8c-1da9a 1daa0 1dab0-1deff 1df1f-1dfff 1e007 1e019-1e01a 1e022 " +
    "1e025 1e02b-1e0ff 1e12d-1e12f 1e13e-1e13f 1e14a-1e14d 1e150-1e28f 1e2af-1e2bf 1e2fa-1e2fe " +
    "1e300-1e7df 1e7e7 1e7ec 1e7ef 1e7ff 1e8c5-1e8c6 1e8d7-1e8ff 1e94c-1e94f 1e95a-1e95d 1e960-1ec70 " +
    "1ecb5-1ed00 1ed3e-1edff 1ee04 1ee20 1ee23 1ee25-1ee26 1ee28 1ee33 1ee38 1ee3a 1ee3c-1ee41 " +
    "1ee43-1ee46 1ee48 1ee4a 1ee4c 1ee50 1ee53 1ee55-1ee56 1ee58 1ee5a 1ee5c 1ee5e 1ee60 1ee63 " +
    "1ee65-1ee66 1ee6b 1ee73 1ee78 1ee7d 1ee7f 1ee8a 1ee9c-1eea0 1eea4 1eeaa 1eebc-1eeef 1eef2-1efff " +
    "1f02c-1f02f 1f094-1f09f 1f0af-1f0b0 1f0c0 1f0d0 1f0f6-1f0ff 1f1ae-1f1e5 1f203-1f20f 1f23c-1f23f " +
    "1f249-1f24f 1f252-1f25f 1f266-1f2ff 1f6d8-1f6dc 1f6ed-1f6ef 1f6fd-1f6ff 1f774-1f77f 1f7d9-1f7df " +
    "1f7ec-1f7ef 1f7f1-1f7ff 1f80c-1f80f 1f848-1f84f 1f85a-1f85f 1f888-1f88f 1f8ae-1f8af 1f8b2-1f8ff " +
    "1fa54-1fa5f 1fa6e-1fa6f 1fa75-1fa77 1fa7d-1fa7f 1fa87-1fa8f 1faad-1faaf 1fabb-1fabf 1fac6-1facf " +
    "1fada-1fadf 1fae8-1faef 1faf7-1faff 1fb93 1fbcb-1fbef 1fbfa-1ffff 2a6e0-2a6ff 2b739-2b73f " +
    "2b81e-2b81f 2cea2-2ceaf 2ebe1-2f7ff 2fa1e-2ffff 3134b-e0000 e0002-e001f e0080-e00ff e01f0-effff " +
    "ffffe-fffff 10fffe-10ffff";
  // END PYTHON TABLES

  // --- Python's strings ------------------------------------------------------------------------------

  var FOLDS = new Map();
  PY_CASEFOLD.forEach(function (entry) {
    var key = String.fromCodePoint(entry.codePointAt(0));
    FOLDS.set(key, entry.slice(key.length));
  });

  var UNASSIGNED = [];
  PY_UNASSIGNED.split(" ").forEach(function (span) {
    var ends = span.split("-");
    UNASSIGNED.push(parseInt(ends[0], 16), parseInt(ends[ends.length - 1], 16));
  });

  function isUnassigned(code) {
    var low = 0;
    var high = UNASSIGNED.length / 2 - 1;
    while (low <= high) {
      var middle = (low + high) >> 1;
      if (code < UNASSIGNED[2 * middle]) high = middle - 1;
      else if (code > UNASSIGNED[2 * middle + 1]) low = middle + 1;
      else return true;
    }
    return false;
  }

  function charClass(chars) {
    return Array.from(chars, function (ch) {
      return "\\u" + ch.charCodeAt(0).toString(16).padStart(4, "0");
    }).join("");
  }

  var WS = "[" + charClass(PY_WHITESPACE) + "]"; // Python's \s
  var WS_RUN_RE = new RegExp(WS + "+", "u");
  var ASCII_RE = /^[\x00-\x7f]*$/;

  function isSpace(ch) {
    return PY_WHITESPACE.indexOf(ch) >= 0;
  }

  function length(text) {
    // len(): code points, not UTF-16 units
    var count = 0;
    for (var i = 0; i < text.length; i++) {
      var unit = text.charCodeAt(i);
      if (unit < 0xdc00 || unit > 0xdfff || i === 0 || (text.charCodeAt(i - 1) & 0xfc00) !== 0xd800) count++;
    }
    return count;
  }

  function stripChars(text, isStripped, left, right) {
    var start = 0;
    var end = text.length;
    while (left && start < end && isStripped(text[start])) start++;
    while (right && end > start && isStripped(text[end - 1])) end--;
    return text.slice(start, end);
  }

  function strip(text) {
    return stripChars(text, isSpace, true, true); // str.strip()
  }

  function lstripAny(text, chars) {
    return stripChars(text, function (ch) { return chars.indexOf(ch) >= 0; }, true, false);
  }

  function rstripAny(text, chars) {
    return stripChars(text, function (ch) { return chars.indexOf(ch) >= 0; }, false, true);
  }

  function split(text) {
    return text.split(WS_RUN_RE).filter(Boolean); // str.split()
  }

  function replaceAll(text, old, replacement) {
    return text.split(old).join(replacement);
  }

  function count(text, ch) {
    return text.split(ch).length - 1;
  }

  function casefold(text) {
    if (ASCII_RE.test(text)) return text.toLowerCase();
    var folded = "";
    for (var ch of text) {
      var fold = FOLDS.get(ch);
      if (fold !== undefined) folded += fold;
      else if (isUnassigned(ch.codePointAt(0))) folded += ch;
      else folded += ch.toLowerCase(); // one character at a time: no final-sigma context
    }
    return folded;
  }

  function nfc(text) {
    // unicodedata.normalize("NFC", text). A character Python's Unicode does not know is, to Python,
    // a starter that composes with nothing: the text normalises on either side of it.
    if (ASCII_RE.test(text)) return text;
    var normal = "";
    var run = "";
    for (var ch of text) {
      if (isUnassigned(ch.codePointAt(0))) {
        normal += run.normalize("NFC") + ch;
        run = "";
      } else {
        run += ch;
      }
    }
    return normal + run.normalize("NFC");
  }

  // --- grading.py ------------------------------------------------------------------------------------

  var EMPTY_MESSAGE = "type an answer"; // the drill's adds "or ? for a hint, s to skip, q to quit"
  var TRUE_FALSE_MESSAGE = "answer t (true) or f (false); 1 = true, 2 = false";
  var WHOLE_NUMBER_MESSAGE = "expected a whole number, e.g. 10";
  var NUMBER_MESSAGE = "expected a number, e.g. 0.35";
  var FINITE_MESSAGE = "expected a finite number, e.g. 0.35";
  var SUM_MESSAGE = "type one number, not a sum or difference (e.g. 0.35, 1/12 or 5\u00d710\u207b\u00b2)";

  var CIRCLED_FIRST = 0x2460; // ① .. ⑳ are U+2460 .. U+2473
  var CIRCLED_LAST = 0x2473;
  var UNICODE_MINUS = "\u2212";

  var OPTION_RE = new RegExp("^(?:\\(" + WS + "*([0-9]+)" + WS + "*\\)|([0-9]+)[.)]?)$", "u");
  var MULTI_SPLIT_RE = new RegExp("[," + WS.slice(1, -1) + "]+", "u");
  var NUMBER_RE = new RegExp(
    "^(?:(?<sign>[+-]?)" +
      "(?<int>[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,3}(?:_[0-9]{3})+)?" +
      "(?:\\.(?<frac>[0-9]*))?" +
      "(?:[eE](?<exp>[+-]?[0-9]+))?)$",
    "u"
  );
  var AMBIGUOUS_COMMA_RE = /^(?:[+-]?[1-9][0-9]{0,2},[0-9]{3})$/u;
  var NON_FINITE = ["nan", "inf", "infinity", "\u221e"];
  var TRUE_WORDS = ["t", "true", "y", "yes"];
  var FALSE_WORDS = ["f", "false", "n", "no"];
  var MAX_INTEGER_DIGITS = 1000;

  function InvalidAnswer(message) {
    this.message = message;
  }

  var UNREADABLE = { unreadable: true }; // grading.py's _Unreadable

  function parseAnswer(spec, text) {
    text = strip(text);
    if (!text) throw new InvalidAnswer(EMPTY_MESSAGE);
    switch (spec.type) {
      case "choice":
        return parseChoice(text, spec.n);
      case "multi":
        return parseMulti(text, spec.n);
      case "true_false":
        return parseTrueFalse(text);
      case "integer":
        return parseInteger(text);
      case "numeric":
        return parseNumeric(text);
      case "text":
        return text;
      default:
        throw new Error("quizgen grader: unknown question type " + spec.type);
    }
  }

  function normaliseText(text) {
    var folded = nfc(casefold(text));
    var spaced = split(replaceAll(replaceAll(folded, "-", " "), "_", " ")).join(" ");
    return rstripAny(spaced, ". ");
  }

  // --- choice, multi, true/false ----------------------------------------------------------------------

  function circled(ch) {
    var code = ch.codePointAt(0);
    return code >= CIRCLED_FIRST && code <= CIRCLED_LAST ? code - CIRCLED_FIRST + 1 : null;
  }

  function optionDigits(text) {
    var match = OPTION_RE.exec(text);
    if (match === null) return null;
    return match[1] || match[2];
  }

  function shown(digits) {
    digits = lstripAny(digits, "0") || "0";
    return digits.length <= 9 ? digits : digits.slice(0, 9) + "...";
  }

  function optionNumber(digits, total, how) {
    var seen = shown(digits);
    var number = seen.length <= 9 ? parseInt(seen, 10) : 0;
    if (!(number >= 1 && number <= total)) throw new InvalidAnswer("there is no option " + seen + "; " + how);
    return number;
  }

  function parseChoice(text, total) {
    var how = "answer with a number from 1 to " + total;
    if (length(text) === 1 && circled(text) !== null) return optionNumber(String(circled(text)), total, how);
    var digits = optionDigits(text);
    if (digits === null) throw new InvalidAnswer(how);
    return optionNumber(digits, total, how);
  }

  function parseMulti(text, total) {
    var how = "answer with option numbers from 1 to " + total + ", separated by commas, e.g. 1,3";
    var chosen = new Set();
    var tokens = text.split(MULTI_SPLIT_RE).filter(Boolean);
    if (!tokens.length) throw new InvalidAnswer(how);
    tokens.forEach(function (token) {
      var numbers = Array.from(token, circled);
      if (numbers.every(function (number) { return number !== null; })) {
        numbers.forEach(function (number) { chosen.add(optionNumber(String(number), total, how)); });
        return;
      }
      var digits = optionDigits(token);
      if (digits === null) throw new InvalidAnswer(how);
      if (total <= 9 && digits === token && digits.length > 1) {
        // "13" is options 1 and 3
        Array.from(digits).forEach(function (digit) { chosen.add(optionNumber(digit, total, how)); });
      } else {
        chosen.add(optionNumber(digits, total, how));
      }
    });
    return Array.from(chosen).sort(function (a, b) { return a - b; });
  }

  function parseTrueFalse(text) {
    var word = casefold(text);
    if (length(word) > 1 && word.endsWith(".")) word = word.slice(0, -1);
    if (TRUE_WORDS.indexOf(word) >= 0) return true;
    if (FALSE_WORDS.indexOf(word) >= 0) return false;
    var number = length(text) === 1 ? circled(text) : null;
    var digits;
    if (number === null && (digits = optionDigits(text)) !== null) {
      var seen = shown(digits);
      number = seen.length <= 9 ? parseInt(seen, 10) : null;
    }
    if (number === 1) return true;
    if (number === 2) return false;
    throw new InvalidAnswer(TRUE_FALSE_MESSAGE);
  }

  // --- numbers ----------------------------------------------------------------------------------------

  // A Decimal, as _read_decimal makes it: sign, coefficient digits (no leading zeros; "0" for zero) and
  // exponent, so that its value is (-1)^negative * coefficient * 10^exponent, exactly.
  function Decimal(negative, coefficient, exponent) {
    this.negative = negative;
    this.coefficient = coefficient;
    this.exponent = exponent;
  }

  Decimal.prototype.isZero = function () {
    return this.coefficient === "0";
  };

  Decimal.prototype.adjusted = function () {
    return this.exponent + this.coefficient.length - 1;
  };

  Decimal.prototype.isIntegral = function () {
    // value == value.to_integral_value()
    if (this.exponent >= 0 || this.isZero()) return true;
    var places = -this.exponent;
    return places < this.coefficient.length && /^0*$/.test(this.coefficient.slice(-places));
  };

  Decimal.prototype.toBigInt = function () {
    // int(value), for an integral value with adjusted() < 1000
    if (this.isZero()) return 0n;
    var magnitude =
      this.exponent >= 0
        ? BigInt(this.coefficient) * 10n ** BigInt(this.exponent)
        : BigInt(this.coefficient.slice(0, this.coefficient.length + this.exponent));
    return this.negative ? -magnitude : magnitude;
  };

  Decimal.prototype.toFloat = function () {
    // float(value): correctly rounded, as Number() reads a decimal string
    return Number((this.negative ? "-" : "") + this.coefficient + "e" + this.exponent);
  };

  Decimal.prototype.toFraction = function () {
    // Fraction(value), for a value within 10^±400 (or zero)
    if (this.isZero()) return fraction(0n, 1n);
    var top = BigInt(this.coefficient) * (this.negative ? -1n : 1n);
    if (this.exponent >= 0) return fraction(top * 10n ** BigInt(this.exponent), 1n);
    return fraction(top, 10n ** BigInt(-this.exponent));
  };

  function readDecimal(text, thousandsFirst) {
    text = replaceAll(strip(text), UNICODE_MINUS, "-");
    if (count(text, ",") === 1 && text.indexOf(".") < 0) {
      if (AMBIGUOUS_COMMA_RE.test(text)) {
        if (!thousandsFirst) {
          var comma = text.indexOf(",");
          var whole = text.slice(0, comma);
          var part = text.slice(comma + 1);
          throw new InvalidAnswer(
            text + " is ambiguous: write " + whole + part + " if the comma separates thousands, " +
              "or " + whole + "." + part + " if it is a decimal comma"
          );
        }
      } else {
        text = text.replace(",", ".");
      }
    }
    var match = NUMBER_RE.exec(text);
    if (match === null || !(match.groups.int || match.groups.frac)) throw UNREADABLE;
    var exponent = match.groups.exp || "0";
    if (lstripAny(lstripAny(exponent, "+-"), "0").length > 9) {
      exponent = exponent.startsWith("-") ? "-999999999" : "999999999"; // as good as infinite
    }
    var digits = replaceAll(replaceAll(match.groups.int || "0", ",", ""), "_", "");
    var frac = match.groups.frac || "0";
    // Decimal(f"{sign}{digits}.{frac}e{exponent}")
    return new Decimal(
      match.groups.sign === "-",
      lstripAny(digits + frac, "0") || "0",
      parseInt(exponent, 10) - frac.length
    );
  }

  function isNonFinite(text) {
    var word = strip(lstripAny(replaceAll(casefold(text), UNICODE_MINUS, "-"), "+-"));
    return NON_FINITE.indexOf(word) >= 0;
  }

  function parseInteger(text) {
    if (isNonFinite(text)) throw new InvalidAnswer(WHOLE_NUMBER_MESSAGE);
    if (looksLikeExpression(text) || text.indexOf("/") >= 0) {
      var exact = evaluate(text, WHOLE_NUMBER_MESSAGE);
      if (isFloat(exact) || exact.d !== 1n) {
        throw new InvalidAnswer("that is not a whole number; " + WHOLE_NUMBER_MESSAGE);
      }
      if (exact.n !== 0n && abs(exact.n).toString().length > MAX_INTEGER_DIGITS) {
        throw new InvalidAnswer("that number is too large; " + WHOLE_NUMBER_MESSAGE);
      }
      return exact.n;
    }
    var value;
    try {
      value = readDecimal(text, true);
    } catch (error) {
      if (error === UNREADABLE) throw new InvalidAnswer(WHOLE_NUMBER_MESSAGE);
      throw error;
    }
    if (!value.isIntegral()) throw new InvalidAnswer(WHOLE_NUMBER_MESSAGE);
    if (!value.isZero() && value.adjusted() >= MAX_INTEGER_DIGITS) {
      throw new InvalidAnswer("that number is too large; " + WHOLE_NUMBER_MESSAGE);
    }
    return value.toBigInt();
  }

  function parseNumeric(text) {
    if (isNonFinite(text)) throw new InvalidAnswer(FINITE_MESSAGE);
    if (text.endsWith("%")) throw new InvalidAnswer(percentMessage(text.slice(0, -1)));
    var value;
    if (looksLikeExpression(text)) {
      value = toFloat(evaluate(text, NUMBER_MESSAGE)); // OverflowError -> Infinity
      if (!Number.isFinite(value)) throw new InvalidAnswer("that number is too large; " + FINITE_MESSAGE);
      return value;
    }
    try {
      if (count(text, "/") === 1) {
        var parts = text.split("/");
        var top = float(parts[0]);
        var bottom = float(parts[1]);
        if (bottom === 0) throw new InvalidAnswer("cannot divide by zero; " + NUMBER_MESSAGE);
        value = top / bottom;
      } else {
        value = float(text);
      }
    } catch (error) {
      if (error === UNREADABLE) throw new InvalidAnswer(NUMBER_MESSAGE);
      throw error;
    }
    if (!Number.isFinite(value)) throw new InvalidAnswer("that number is too large; " + FINITE_MESSAGE);
    return value;
  }

  function float(text) {
    var value = readDecimal(text, false).toFloat();
    if (!Number.isFinite(value)) throw new InvalidAnswer("that number is too large; " + FINITE_MESSAGE);
    return value;
  }

  function percentMessage(number) {
    var general = "write a percentage as a plain number, e.g. 5% as 0.05";
    var value;
    try {
      value = readDecimal(number, true);
    } catch (error) {
      if (error === UNREADABLE || error instanceof InvalidAnswer) return general;
      throw error;
    }
    if (!(value.adjusted() >= -12 && value.adjusted() <= 12)) return general;
    var part = normalize(scaleb(value, -2));
    return "write a percentage as a plain number: " + strip(number) + "% is " + formatFixed(part);
  }

  var DECIMAL_PRECISION = 28; // the default decimal context's, which scaleb and normalize round to

  function scaleb(value, places) {
    // Decimal.scaleb: the exponent moved, the coefficient rounded to 28 digits, half to even
    var digits = value.coefficient;
    var exponent = value.exponent + places;
    if (digits.length > DECIMAL_PRECISION) {
      var kept = digits.slice(0, DECIMAL_PRECISION);
      var rest = digits.slice(DECIMAL_PRECISION);
      exponent += rest.length;
      var half = "5" + "0".repeat(rest.length - 1);
      var up = rest > half || (rest === half && "13579".indexOf(kept[kept.length - 1]) >= 0);
      if (up) {
        kept = (BigInt(kept) + 1n).toString();
        if (kept.length > DECIMAL_PRECISION) {
          kept = kept.slice(0, DECIMAL_PRECISION);
          exponent += 1;
        }
      }
      digits = kept;
    }
    return new Decimal(value.negative, digits, exponent);
  }

  function normalize(value) {
    // Decimal.normalize: trailing zeros dropped, zero as 0E0 (keeping its sign)
    if (value.isZero()) return new Decimal(value.negative, "0", 0);
    var digits = value.coefficient.replace(/0+$/, "");
    return new Decimal(value.negative, digits, value.exponent + value.coefficient.length - digits.length);
  }

  function formatFixed(value) {
    // f"{value:f}"
    var digits = value.coefficient;
    var text;
    if (value.exponent >= 0) {
      text = digits + "0".repeat(value.exponent);
    } else {
      var point = digits.length + value.exponent;
      text = point > 0 ? digits.slice(0, point) + "." + digits.slice(point) : "0." + "0".repeat(-point) + digits;
    }
    return (value.negative ? "-" : "") + text;
  }

  // --- products, powers and roots: the spellings people write (5×10⁻², 2^10, sqrt(1/400)) -------------

  var MAX_EXPRESSION_CHARS = 200;
  var MAX_DEPTH = 20;
  var MAX_BITS = 4000;
  var MAX_FLOAT_TEN = 400;

  var EXPRESSION_RE = /[*×·⋅∙^√()÷xX\u2070-\u209f\u00b2\u00b3\u00b9]|sqrt/iu;
  var SUPERSCRIPTS = {
    "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9",
    "⁻": "-", "⁺": "+"
  };
  var TIMES = "*×·⋅∙xX";
  var TOKEN_RE = new RegExp(
    "(?<number>(?:[0-9][0-9,_]*(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?)" +
      "|(?<power>\\*\\*|\\^)" +
      "|(?<sqrt>sqrt|√)" +
      "|(?<super>[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+)" +
      "|(?<op>[*×·⋅∙xX/÷()+-])",
    "iuy"
  );
  var KINDS = ["number", "power", "sqrt", "super", "op"];

  // An exact value is a Fraction {n, d} (BigInts, d > 0, in lowest terms); after a root or a
  // fractional power it is a float (a number).
  function fraction(n, d) {
    if (d < 0n) {
      n = -n;
      d = -d;
    }
    var common = gcd(abs(n), d);
    return common > 1n ? { n: n / common, d: d / common } : { n: n, d: d };
  }

  function isFloat(value) {
    return typeof value === "number";
  }

  function abs(n) {
    return n < 0n ? -n : n;
  }

  function gcd(a, b) {
    while (b) {
      var t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  function bitLength(n) {
    return n === 0n ? 0 : abs(n).toString(2).length;
  }

  function sign(value) {
    if (isFloat(value)) return value > 0 ? 1 : value < 0 ? -1 : 0;
    return value.n > 0n ? 1 : value.n < 0n ? -1 : 0;
  }

  function negate(value) {
    return isFloat(value) ? -value : { n: -value.n, d: value.d };
  }

  function toFloat(value) {
    // float(value); an OverflowError is +-Infinity here, which every caller refuses
    return isFloat(value) ? value : ratioToFloat(value.n, value.d, 0);
  }

  function looksLikeExpression(text) {
    return EXPRESSION_RE.test(text) || count(text, "/") > 1;
  }

  function evaluate(text, message) {
    var source = split(replaceAll(text, UNICODE_MINUS, "-")).join("");
    if (length(source) > MAX_EXPRESSION_CHARS) throw new InvalidAnswer("that answer is too long; " + message);
    var tokens = [];
    var position = 0;
    while (position < source.length) {
      TOKEN_RE.lastIndex = position;
      var match = TOKEN_RE.exec(source);
      if (match === null) throw new InvalidAnswer(message);
      var kind = KINDS.filter(function (name) { return match.groups[name] !== undefined; })[0] || "op";
      var value = match[0];
      if (kind === "op" && TIMES.indexOf(value) >= 0) value = "*";
      else if (kind === "op" && value === "÷") value = "/";
      else if (kind === "super") value = Array.from(value, function (ch) { return SUPERSCRIPTS[ch]; }).join("");
      tokens.push([kind, value]);
      position = TOKEN_RE.lastIndex;
    }
    var reader = new Reader(tokens, message);
    var result = reader.product(0);
    if (reader.index !== tokens.length) {
      var left = tokens[reader.index];
      if (left[0] === "op" && (left[1] === "+" || left[1] === "-")) throw new InvalidAnswer(SUM_MESSAGE);
      throw new InvalidAnswer(message);
    }
    return result;
  }

  function Reader(tokens, message) {
    this.tokens = tokens;
    this.index = 0;
    this.message = message;
  }

  Reader.prototype.peek = function () {
    return this.index < this.tokens.length ? this.tokens[this.index] : null;
  };

  Reader.prototype.take = function () {
    var token = this.peek();
    if (token === null) throw new InvalidAnswer(this.message);
    this.index += 1;
    return token;
  };

  Reader.prototype.deeper = function (depth) {
    if (depth >= MAX_DEPTH) throw new InvalidAnswer("that answer is nested too deeply; " + this.message);
    return depth + 1;
  };

  Reader.prototype.product = function (depth) {
    var value = this.signed(depth);
    var token;
    while ((token = this.peek()) !== null) {
      var kind = token[0];
      var text = token[1];
      if (kind === "op" && (text === "*" || text === "/")) {
        this.index += 1;
        var right = this.signed(depth);
        value = text === "*" ? times(value, right) : divide(value, right);
      } else if (kind === "sqrt" || (kind === "op" && text === "(")) {
        value = times(value, this.signed(depth)); // 2√2, 2(3)
      } else if (kind === "op" && (text === "+" || text === "-")) {
        throw new InvalidAnswer(SUM_MESSAGE);
      } else {
        break;
      }
    }
    return value;
  };

  Reader.prototype.signed = function (depth) {
    var token = this.peek();
    if (token !== null && token[0] === "op" && (token[1] === "+" || token[1] === "-")) {
      this.index += 1;
      var value = this.signed(this.deeper(depth));
      return token[1] === "-" ? negate(value) : value;
    }
    return this.power(depth);
  };

  Reader.prototype.power = function (depth) {
    var value = this.atom(depth);
    var token = this.peek();
    if (token !== null && token[0] === "super") {
      this.index += 1;
      value = raise(value, this.exponent(token[1]));
      token = this.peek();
    }
    if (token !== null && token[0] === "power") {
      this.index += 1;
      value = raise(value, this.signed(this.deeper(depth)));
    }
    return value;
  };

  Reader.prototype.exponent = function (text) {
    var negative = count(text, "-") % 2 === 1;
    var digits = lstripAny(text, "+-");
    if (!/^[0-9]+$/.test(digits) || digits.length > 6) throw new InvalidAnswer(this.message);
    return fraction(BigInt(digits) * (negative ? -1n : 1n), 1n);
  };

  Reader.prototype.atom = function (depth) {
    var token = this.take();
    var kind = token[0];
    var text = token[1];
    if (kind === "number") return number(text, this.message);
    if (kind === "sqrt") return root(this.atom(this.deeper(depth)));
    if (kind === "op" && text === "(") {
      var value = this.product(this.deeper(depth));
      var close = this.take();
      if (close[0] !== "op" || close[1] !== ")") throw new InvalidAnswer(this.message);
      return value;
    }
    throw new InvalidAnswer(this.message);
  };

  function tooLarge() {
    return new InvalidAnswer("that number is too large; " + NUMBER_MESSAGE);
  }

  function outOfBounds(small) {
    return small ? new InvalidAnswer("that number is too small; " + NUMBER_MESSAGE) : tooLarge();
  }

  function bounded(value) {
    if (isFloat(value)) {
      if (!Number.isFinite(value)) throw tooLarge();
      return value;
    }
    if (bitLength(value.n) > MAX_BITS || bitLength(value.d) > MAX_BITS) throw outOfBounds(abs(value.n) < value.d);
    return value;
  }

  function number(text, message) {
    var value;
    try {
      value = readDecimal(text, false);
    } catch (error) {
      if (error === UNREADABLE) throw new InvalidAnswer(message);
      throw error;
    }
    if (!value.isZero() && !(value.adjusted() >= -MAX_FLOAT_TEN && value.adjusted() <= MAX_FLOAT_TEN)) {
      throw outOfBounds(value.adjusted() < 0);
    }
    if (value.coefficient.length > MAX_INTEGER_DIGITS) throw tooLarge();
    return value.toFraction();
  }

  function asFloat(value) {
    // float(value) inside the reader: an OverflowError is "too large"
    var result = toFloat(value);
    if (!Number.isFinite(result)) throw tooLarge();
    return result;
  }

  function times(left, right) {
    if (!isFloat(left) && !isFloat(right)) return bounded(fraction(left.n * right.n, left.d * right.d));
    return bounded(asFloat(left) * asFloat(right));
  }

  function divide(left, right) {
    if (sign(right) === 0) throw new InvalidAnswer("cannot divide by zero; " + NUMBER_MESSAGE);
    if (!isFloat(left) && !isFloat(right)) return bounded(fraction(left.n * right.d, left.d * right.n));
    return bounded(asFloat(left) / asFloat(right));
  }

  function isqrt(n) {
    if (n < 2n) return n;
    var x = 1n << BigInt((bitLength(n) >> 1) + 1);
    for (;;) {
      var y = (x + n / x) >> 1n;
      if (y >= x) return x;
      x = y;
    }
  }

  function integerRoot(n, degree) {
    // the whole number whose degree-th power is n (>= 0n), or null: grading.py's _integer_root
    if (n < 2n) return n;
    if (degree === 2n) {
      var square = isqrt(n);
      return square * square === n ? square : null;
    }
    var bits = BigInt(bitLength(n));
    if (degree >= bits) return null; // 1 < the root < 2
    var size = (bits + degree - 1n) / degree; // the root has at most this many bits
    var root;
    if (degree < size) {
      root = 1n << size; // Newton's steps from above fall to the root's floor
      for (;;) {
        var better = ((degree - 1n) * root + n / root ** (degree - 1n)) / degree;
        if (better >= root) break;
        root = better;
      }
    } else {
      root = 1n; // bisection: root ** degree <= n < high ** degree
      var high = 1n << size;
      while (high - root > 1n) {
        var middle = (root + high) / 2n;
        if (middle ** degree <= n) root = middle;
        else high = middle;
      }
    }
    return root ** degree === n ? root : null;
  }

  function exactRoot(value, degree) {
    var top = integerRoot(value.n, degree);
    var bottom = top === null ? null : integerRoot(value.d, degree);
    return top === null || bottom === null ? null : fraction(top, bottom);
  }

  function root(value) {
    if (sign(value) < 0) {
      throw new InvalidAnswer("cannot take the square root of a negative number; " + NUMBER_MESSAGE);
    }
    if (!isFloat(value)) {
      var exact = exactRoot(value, 2n);
      if (exact !== null) return exact;
    }
    return bounded(Math.sqrt(asFloat(value)));
  }

  function raise(base, exponent) {
    // base ** exponent: exact for a fraction to a whole power, or to a fractional power whose root is
    // exact (4^0.5 is 2); otherwise a float. 0^0 is 1 on every path. grading.py's _raise.
    if (sign(exponent) === 0) return !isFloat(base) && !isFloat(exponent) ? fraction(1n, 1n) : 1.0;
    if (!isFloat(exponent) && !isFloat(base)) {
      if (exponent.d === 1n) return wholePower(base, exponent.n);
      if (sign(base) >= 0) {
        var exact = exactRoot(base, exponent.d);
        if (exact !== null) return wholePower(exact, exponent.n);
      }
    }
    if (sign(base) < 0) {
      throw new InvalidAnswer("a negative number to a fractional power is not a real number; " + NUMBER_MESSAGE);
    }
    if (sign(base) === 0) return sign(exponent) > 0 ? 0.0 : divide(fraction(1n, 1n), fraction(0n, 1n));
    return bounded(pow(asFloat(base), asFloat(exponent)));
  }

  function wholePower(base, power) {
    // base ** power exactly (power a BigInt), refused before any work when it cannot stay within MAX_BITS
    if (base.n === 0n) {
      if (power < 0n) throw new InvalidAnswer("cannot divide by zero; " + NUMBER_MESSAGE);
      return fraction(0n, 1n);
    }
    if (abs(base.n) === 1n && base.d === 1n) return fraction(power % 2n === 0n ? 1n : base.n, 1n);
    var size = BigInt(Math.max(bitLength(base.n), bitLength(base.d)));
    if ((size - 1n) * abs(power) >= BigInt(MAX_BITS)) throw outOfBounds((abs(base.n) < base.d) === power > 0n);
    var k = abs(power);
    if (power >= 0n) return bounded(fraction(base.n ** k, base.d ** k));
    return bounded(fraction(base.d ** k, base.n ** k));
  }

  // --- floats exactly as Python makes them --------------------------------------------------------------

  var VIEW = new DataView(new ArrayBuffer(8));

  function twoTo(exponent) {
    // 2 ** exponent exactly, for -1074 <= exponent <= 1023 (beyond: 0 or Infinity)
    if (exponent > 1023) return Infinity;
    if (exponent < -1074) return 0;
    if (exponent >= -1022) {
      VIEW.setUint32(0, (exponent + 1023) << 20);
    } else {
      var bit = exponent + 1074; // a subnormal: one bit of the 52-bit fraction
      VIEW.setUint32(0, bit >= 32 ? 1 << (bit - 32) : 0);
      VIEW.setUint32(4, bit >= 32 ? 0 : 2 ** bit);
      return VIEW.getFloat64(0);
    }
    VIEW.setUint32(4, 0);
    return VIEW.getFloat64(0);
  }

  function roundToFloat(mantissa, exponent, sticky) {
    // The double nearest (mantissa + d) * 2^exponent, 0 <= d < 1, d > 0 exactly when sticky; ties to
    // even; Infinity beyond the largest double. (With sticky, the mantissa has at least 55 bits.)
    if (mantissa === 0n) return 0;
    var bits = bitLength(mantissa);
    var top = bits - 1 + exponent; // the leading bit's place
    var precision = top < -1022 ? 53 - (-1022 - top) : 53; // subnormals keep fewer bits
    var drop = bits - precision;
    if (drop <= 0) return Number(mantissa) * twoTo(exponent);
    var kept = mantissa >> BigInt(drop);
    var rest = mantissa - (kept << BigInt(drop));
    var half = 1n << BigInt(drop - 1);
    if (rest > half || (rest === half && (sticky || (kept & 1n) === 1n))) kept += 1n;
    if (kept === 0n) return 0;
    var place = exponent + drop;
    if (place > 1023) return Infinity;
    return Number(kept) * twoTo(place);
  }

  function ratioToFloat(top, bottom, exponent) {
    // float(top / bottom * 2^exponent), correctly rounded as Python's int / int (bottom > 0)
    if (top === 0n) return 0;
    var negative = top < 0n;
    top = abs(top);
    var shift = 55 + bitLength(bottom) - bitLength(top); // a quotient of at least 55 bits
    var quotient;
    var remainder;
    if (shift >= 0) {
      var scaled = top << BigInt(shift);
      quotient = scaled / bottom;
      remainder = scaled - quotient * bottom;
    } else {
      var divisor = bottom << BigInt(-shift);
      quotient = top / divisor;
      remainder = top - quotient * divisor;
    }
    var result = roundToFloat(quotient, exponent - shift, remainder !== 0n);
    return negative ? -result : result;
  }

  function decompose(x) {
    // a finite double > 0 as [m, e]: x = m * 2^e exactly
    VIEW.setFloat64(0, x);
    var high = VIEW.getUint32(0);
    var low = VIEW.getUint32(4);
    var biased = (high >>> 20) & 0x7ff;
    var mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
    if (biased === 0) return [mantissa, -1074];
    return [mantissa | (1n << 52n), biased - 1075];
  }

  var LN2_CACHE = new Map();

  function atanhSeries(z, bits) {
    // atanh(z / 2^bits) * 2^bits for |z| < 2^bits / 3
    var one = 1n << BigInt(bits);
    var square = (z * z) / one;
    var term = z;
    var sum = 0n;
    for (var k = 1n; term !== 0n; k += 2n) {
      sum += term / k; // BigInt division truncates towards zero, so a negative series ends too
      term = (term * square) / one;
    }
    return sum;
  }

  function ln2(bits) {
    if (!LN2_CACHE.has(bits)) LN2_CACHE.set(bits, 2n * atanhSeries((1n << BigInt(bits)) / 3n, bits));
    return LN2_CACHE.get(bits);
  }

  function powApproximation(x, y, bits) {
    // exp(y ln x) as [s, k], its value s * 2^(k - bits), in fixed point with `bits` fraction bits.
    // Error, in units 2^-bits (bits <= 2400): ln 2 within 2 * bits / 3, ln x within 1075 of those plus
    // bits / 2, so under 2^22; y ln x within |y| 2^22 + 1; the reduction by k ln 2 adds under 2^22; the
    // exponential of r / 2^8 (Taylor) then 8 squarings multiply the error of r by at most 1.5 and add
    // under 2^17. pow() allows (|y| + 2) 2^23 units.
    var parts = decompose(x);
    var m = parts[0];
    var places = bitLength(m) - 1;
    var e = parts[1] + places; // x = (m / 2^places) * 2^e, m / 2^places in [1, 2)
    var big = BigInt(bits);
    var u = m << BigInt(bits - places); // in [1, 2) * 2^bits
    if (m * m > 1n << BigInt(2 * places + 1)) {
      u >>= 1n; // u in [1/√2, √2)
      e += 1;
    }
    var one = 1n << big;
    var lnU = 2n * atanhSeries(((u - one) << big) / (u + one), bits);
    var lnX = lnU + BigInt(e) * ln2(bits);
    var yParts = decompose(Math.abs(y));
    var t = lnX * yParts[0] * (y < 0 ? -1n : 1n);
    t = yParts[1] >= 0 ? t << BigInt(yParts[1]) : t >> BigInt(-yParts[1]); // y ln x, in units 2^-bits
    var k = Math.round(Number(t >> BigInt(bits - 20)) / 2 ** 20 / Math.LN2);
    var r = t - BigInt(k) * ln2(bits); // |r| <= ln 2 / 2 + a little
    var halvings = 8;
    var small = r >> BigInt(halvings);
    var sum = one;
    var term = one;
    for (var n = 1n; term !== 0n; n += 1n) {
      term = (term * small) / n / one;
      sum += term;
    }
    for (var i = 0; i < halvings; i++) sum = (sum * sum) >> big;
    return [sum, k];
  }

  function pow(x, y) {
    // math.pow(x, y) for finite x > 0 and finite y, correctly rounded; Infinity for an overflow
    if (y === 0 || x === 1) return 1;
    if (x === 0) return y > 0 ? 0 : Infinity; // Python: ValueError, refused as too large like an overflow
    if (Number.isInteger(y) && Math.abs(y) <= 64) {
      var parts = decompose(x);
      var power = BigInt(Math.abs(y));
      if (y > 0) return ratioToFloat(parts[0] ** power, 1n, parts[1] * y);
      return ratioToFloat(1n, parts[0] ** power, parts[1] * y);
    }
    var estimate = y * Math.log2(x);
    if (estimate > 1100) return Infinity;
    if (estimate < -1100) return 0;
    var size = Math.max(0, Math.ceil(Math.log2(Math.abs(y) + 1)));
    // error bound of powApproximation, in units of its result (generous: see the steps there)
    var error = BigInt(Math.ceil(Math.abs(y)) + 2) << 23n;
    var low;
    var high;
    for (var bits = 53 + size + 24 + 48; bits <= 2400; bits += 128) {
      var approximation = powApproximation(x, y, bits);
      var sum = approximation[0];
      var exponent = approximation[1] - bits;
      low = roundToFloat(sum - error, exponent, false);
      high = roundToFloat(sum + error, exponent, false);
      if (low === high) return low;
    }
    // still between two doubles: the power is their midpoint exactly, and a tie goes to the even one
    return decompose(low)[0] % 2n === 0n ? low : high;
  }

  // --- checking parsed values ---------------------------------------------------------------------------

  function accepts(answer, tolerance, kind, value) {
    // models.Tolerance(answer, tolerance, kind).accepts(value), in the same floating-point steps
    var width = tolerance * (kind === "relative" ? Math.abs(answer) : 1.0);
    var low = answer - width;
    var high = answer + width;
    var eps = 1e-9 * Math.max(1.0, Math.abs(answer));
    return low - eps <= value && value <= high + eps;
  }

  function mistakeFor(spec, value) {
    for (var i = 0; i < (spec.mistakes || []).length; i++) {
      var mistake = spec.mistakes[i].value;
      // integer: Python's int == float is exact, and so is JavaScript's BigInt == Number
      if (spec.type === "integer" ? value == mistake : accepts(mistake, spec.tolerance, spec.kind, value)) {
        return i;
      }
    }
    return -1;
  }

  function grade(spec, typed) {
    var value;
    try {
      value = parseAnswer(spec, typeof typed === "string" ? typed : String(typed == null ? "" : typed));
    } catch (error) {
      if (error instanceof InvalidAnswer) return { verdict: "unreadable", message: error.message, misconception: null };
      throw error;
    }
    var correct;
    var result = { verdict: "", value: value, misconception: null };
    switch (spec.type) {
      case "choice":
        correct = value === spec.answer;
        result.option = value;
        result.chosen = [value];
        if (!correct) result.misconception = (spec.misconceptions || [])[value - 1] || null;
        break;
      case "multi":
        correct =
          value.length === new Set(spec.answers).size &&
          value.every(function (n) { return spec.answers.indexOf(n) >= 0; });
        result.chosen = value;
        result.missed = spec.answers
          .filter(function (n, i) { return value.indexOf(n) < 0 && spec.answers.indexOf(n) === i; })
          .sort(function (a, b) { return a - b; });
        result.wrong = value.filter(function (n) { return spec.answers.indexOf(n) < 0; });
        break;
      case "true_false":
        correct = value === spec.answer;
        break;
      case "integer":
      case "numeric":
        correct = spec.type === "integer" ? value === BigInt(spec.answer) : accepts(spec.answer, spec.tolerance, spec.kind, value);
        if (spec.type === "integer") result.value = value.toString();
        if (!correct) {
          var mistake = mistakeFor(spec, value);
          if (mistake >= 0) {
            result.mistake = mistake;
            result.misconception = spec.mistakes[mistake].misconception || null;
          }
        }
        break;
      case "text":
        correct = spec.forms.indexOf(normaliseText(value)) >= 0;
        break;
    }
    result.verdict = correct ? "correct" : "wrong";
    return result;
  }

  return {
    grade: grade,
    normaliseText: normaliseText,
    // for tests/test_page_grader.py: Python's string primitives as this file implements them
    _python: { casefold: casefold, nfc: nfc, strip: strip, split: split, pow: pow, expression: EXPRESSION_RE }
  };
})();
if (typeof module !== "undefined") module.exports = QuizgenGrader;
