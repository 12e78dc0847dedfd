# US street addresses (reference: regions/address-tokens.md §2).
id: us_address
label: [ADDRESS]
description: US street address: number, street, suffix, optional unit, city, state and ZIP
kind: us_address
pattern: \d{1,6}(?: [NSEW]\.?| North| South| East| West)?(?: (?:[A-Z][a-z]+|\d{1,3}(?:st|nd|rd|th))){1,4} (?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Ln|Court|Ct|Place|Pl|Terrace|Ter|Circle|Cir|Way|Highway|Hwy|Parkway|Pkwy|Square|Sq|Plaza|Plz|Trail|Trl|Alley|Aly|Loop|Route|Rte)\b\.?(?:,? (?:Apt|Apartment|Suite|Ste|Unit|Fl|Floor|Rm|Room|Bldg|#)\.? ?#?[A-Za-z0-9-]+(?![\w.+%-]*@))?(?:,? [A-Z][a-z]+(?: [A-Z][a-z]+){0,2},? (?:A[LKZR]|C[AOT]|D[EC]|FL|GA|HI|I[DLNA]|K[SY]|LA|M[EDAINSOT]|N[EVHJMYCD]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[TA]|W[AVIY]|PR|GU|VI) \d{5}(?!\w)(?:-\d{4}(?!\w))?)?
priority: 85
confidence: 85
action: mask
mask: all
canonical: fold
example: ship to 4778 Cedar Ave, Apt 4, Boston, MA 02167 thanks => 4778 Cedar Ave, Apt 4, Boston, MA 02167
example: 1600 Pennsylvania Avenue NW => 1600 Pennsylvania Avenue
example: at 12 Cedar Ave, Apt 8john@mail.example.cn now => 12 Cedar Ave
counter: 3 Items Left
