/**
 * The shop's fixed product catalogue: ten product types, each with a few products and a typical
 * unit price in US dollars. Line items take their `productType` and `title` from here.
 */
export interface CatalogueType {
  productType: string;
  /** How often the type appears on a line, relative to the others. */
  weight: number;
  /** Typical unit price in US dollars, used to choose the quantity of a line. */
  typicalDollars: number;
  titles: readonly string[];
}

export const CATALOGUE: readonly CatalogueType[] = [
  { productType: 'Apparel', weight: 22, typicalDollars: 45, titles: ['Linen Shirt', 'Merino Sweater', 'Everyday Tee', 'Rain Jacket'] },
  { productType: 'Shoes', weight: 10, typicalDollars: 110, titles: ['Trail Runner', 'Leather Loafer', 'Canvas Sneaker'] },
  { productType: 'Accessories', weight: 12, typicalDollars: 30, titles: ['Wool Beanie', 'Leather Belt', 'Tote Bag', 'Sunglasses'] },
  { productType: 'Beauty', weight: 11, typicalDollars: 24, titles: ['Face Serum', 'Lip Balm', 'Crème Hydratante', 'Hand Cream'] },
  { productType: 'Home', weight: 9, typicalDollars: 60, titles: ['Throw Blanket', 'Ceramic Vase', 'Scented Candle'] },
  { productType: 'Kitchen', weight: 8, typicalDollars: 40, titles: ['Café Mug', 'Chef Knife', 'Cast Iron Pan'] },
  { productType: 'Electronics', weight: 6, typicalDollars: 150, titles: ['Wireless Earbuds', 'Bluetooth Speaker', 'Phone Charger'] },
  { productType: 'Toys', weight: 7, typicalDollars: 28, titles: ['Wooden Train', 'Puzzle 1000 pcs', 'Plush Bear'] },
  { productType: 'Books', weight: 9, typicalDollars: 18, titles: ['Cookbook', 'Travel Guide', 'Notebook A5'] },
  { productType: 'Gift Cards', weight: 6, typicalDollars: 50, titles: ['Gift Card'] },
];
