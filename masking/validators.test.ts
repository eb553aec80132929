import { describe, expect, it } from 'vitest';
import {
  cnpjValid,
  cpfValid,
  ibanValid,
  luhnValid,
  paymentCardValid,
  shannonEntropy,
  ssnValid,
} from './validators.js';

describe('payment cards', () => {
  it('accepts network test numbers', () => {
    for (const n of [
      '4111111111111111',
      '5555555555554444',
      '378282246310005',
      '6011111111111117',
      '3530111333300000',
      '2223003122003222',
      '4012888888881881',
      '30569309025904',
    ]) {
      expect(paymentCardValid(n), n).toBe(true);
    }
  });
  it('rejects a 16-digit build number that fails Luhn, and Luhn-valid numbers no network issues', () => {
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(paymentCardValid('4111111111111112')).toBe(false);
    // Passes Luhn but starts with 1 (epoch milliseconds, build ids): never a card.
    expect(luhnValid('1705312345678903')).toBe(true);
    expect(paymentCardValid('1705312345678903')).toBe(false);
    expect(paymentCardValid('0000000000000000')).toBe(false);
    expect(paymentCardValid('4444444444444448')).toBe(true);
    expect(paymentCardValid('411111111')).toBe(false);
  });
});

describe('Brazilian CPF and CNPJ', () => {
  it('checks both CPF check digits', () => {
    expect(cpfValid('12345678909')).toBe(true);
    expect(cpfValid('52998224725')).toBe(true);
    expect(cpfValid('12345678900')).toBe(false);
    expect(cpfValid('12345678919')).toBe(false);
    expect(cpfValid('11111111111')).toBe(false);
  });
  it('checks both CNPJ check digits', () => {
    expect(cnpjValid('11222333000181')).toBe(true);
    expect(cnpjValid('11444777000161')).toBe(true);
    expect(cnpjValid('11222333000180')).toBe(false);
    expect(cnpjValid('00000000000000')).toBe(false);
  });
});

describe('US SSN', () => {
  it('rejects never-issued ranges', () => {
    expect(ssnValid('123', '45', '6789')).toBe(true);
    expect(ssnValid('000', '45', '6789')).toBe(false);
    expect(ssnValid('666', '45', '6789')).toBe(false);
    expect(ssnValid('900', '45', '6789')).toBe(false);
    expect(ssnValid('123', '00', '6789')).toBe(false);
    expect(ssnValid('123', '45', '0000')).toBe(false);
    expect(ssnValid('078', '05', '1120')).toBe(false);
  });
});

describe('IBAN', () => {
  it('checks country length and mod-97', () => {
    expect(ibanValid('DE89370400440532013000')).toBe(true);
    expect(ibanValid('GB82WEST12345698765432')).toBe(true);
    expect(ibanValid('FR1420041010050500013M02606')).toBe(true);
    expect(ibanValid('NL91ABNA0417164300')).toBe(true);
    expect(ibanValid('DE89370400440532013001')).toBe(false);
    expect(ibanValid('DE8937040044053201300')).toBe(false);
    expect(ibanValid('ZZ89370400440532013000')).toBe(false);
  });
});

describe('entropy', () => {
  it('is higher for random-looking strings than for words', () => {
    expect(shannonEntropy('aaaaaaaa')).toBe(0);
    expect(shannonEntropy('8fJ2kLm9Qx7vB3nR')).toBeGreaterThan(3.5);
    expect(shannonEntropy('password')).toBeLessThan(3);
  });
});
