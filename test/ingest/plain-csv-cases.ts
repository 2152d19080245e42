/** Plain orders CSV files in every shape the readers must agree on (fast, worker, reference). */

export const HEADER = 'order_id,customer_id,email,processed_at,total,currency,cancelled,test,product_type,quantity';

/** Rows in their plain shape and in every shape the fast path must hand to the reference parser. */
export const AWKWARD_ROWS = [
  '1,c1,a@example.com,2025-01-01T00:00:00Z,10.50,USD,false,false,Shoes,2',
  '2,c1,,2025-01-02T10:11:12Z,5,,true,,,',
  '3,,guest@example.com,2025-01-03T10:00:00+02:00,7.25,,,,,',
  '4,c2,,yesterday,3.00,,,,,',
  '5,c2,,2025-02-30T00:00:00Z,3.00,,,,,',
  '6,c3,,2025-02-28T00:00:00Z,-3.00,,,,,',
  '7,c3,,2025-02-28T24:00:00Z,+3.00,,,,,',
  '8,c3,, 2025-03-01T00:00:00Z ,1.005,,TRUE,0,Hats,',
  '9,c4,"Zoë ""Z"", Müller <z@example.com>",2025-03-02T00:00:00Z,"1,234.50",JPY,yes,n,"Home, Garden",3',
  '10,c4,,2025-03-03,10.999,KWD,false,false,"two',
  'lines",1',
  '11,c5,,2025-03-04T00:00:00Z,abc,,,,,',
  '12,c5,,2025-03-04T00:00:00Z,12.5,,maybe,,,',
  '13,c5,,2025-03-04T00:00:00Z,12.5,,,,Socks,1.5',
  '14,c5,,2025-03-04T00:00:00Z,.5,,,,Socks,007',
  '',
  '15,\u00a0c6\u00a0,,2025-03-05T00:00:00Z,.,,,,,',
  '16,c6,,2025-03-05T00:00:00Z,5.,EUR,false,false,山田 Shoes,1',
  '17,c7,,2025-03-06T00:00:00Z,99999999999999.99,,,,,',
  '18,c7',
  '19,c7,,2025-03-06T00:00:00Z,1,,,,,,extra',
  '   ',
  ',c8,,2025-03-07T00:00:00Z,0,,,,,',
  '"20",c8,,2025-03-07T00:00:00Z,0.1,,,,,',
];

export const CASES: Record<string, string> = {
  'awkward rows, LF': `${HEADER}\n${AWKWARD_ROWS.join('\n')}\n`,
  'awkward rows, CRLF, BOM, no final line break': `\uFEFF${HEADER}\r\n${AWKWARD_ROWS.join('\r\n')}`,
  'a bare LF inside a CRLF file': `${HEADER}\r\n${AWKWARD_ROWS.slice(0, 3).join('\r\n')}\n${AWKWARD_ROWS.slice(3).join('\r\n')}\r\n`,
  'a closing quote followed by text, mid-file': `${HEADER}\n${AWKWARD_ROWS.slice(0, 4).join('\n')}\n21,c9,"x"y,2025-01-01T00:00:00Z,1,,,,,\n${AWKWARD_ROWS.slice(4).join('\n')}\n`,
  'an unterminated quote at the end': `${HEADER}\n${AWKWARD_ROWS.slice(0, 3).join('\n')}\n22,c9,"never closed,2025-01-01T00:00:00Z,1\n`,
  'blank lines before the header': `\n\n${HEADER}\n${AWKWARD_ROWS.slice(0, 2).join('\n')}\n`,
  'fewer columns, another order': 'total,processed_at,customer_id\n1.00,2025-01-01T00:00:00Z,c1\n2.00,2025-01-02T00:00:00Z,\n',
  'semicolons (papaparse guesses the delimiter)': 'customer_id;processed_at;total\nc1;2025-01-01T00:00:00Z;1.00\nc2;2025-01-02T00:00:00Z;2,50\n',
  'header only': `${HEADER}\n`,
  empty: '',
  'a required column missing': 'customer_id,total\nc1,1.00\n',
};

