import type { BusinessCalendar } from './schema';

const officeHours = [{ start: '09:00', end: '18:00' }];

/** A typical Japanese office: Mon–Fri 09:00–18:00 JST, national holidays and 年末年始 (12/29–1/3) closed. */
export const defaultBusinessCalendar: BusinessCalendar = {
  timeZone: 'Asia/Tokyo',
  workingHours: {
    mon: officeHours,
    tue: officeHours,
    wed: officeHours,
    thu: officeHours,
    fri: officeHours,
    sat: [],
    sun: [],
  },
  nationalHolidays: 'jp',
  companyHolidays: [],
  yearlyHolidays: [{ from: '12-29', to: '01-03', name: { ja: '年末年始', en: 'Year-end holidays' } }],
  extraWorkingDays: [],
};
