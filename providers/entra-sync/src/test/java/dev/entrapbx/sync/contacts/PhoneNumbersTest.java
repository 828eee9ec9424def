package dev.entrapbx.sync.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PhoneNumbersTest {

    @Test
    void nationalFormatsAreReadWithThePhoneSystemsRegion() {
        assertThat(PhoneNumbers.normalise("(020) 7946 0958", "GB").e164()).isEqualTo("+442079460958");
        assertThat(PhoneNumbers.normalise("030 1234567", "de").e164()).isEqualTo("+49301234567");
        assertThat(PhoneNumbers.normalise("(425) 555-0100", "US").e164()).isEqualTo("+14255550100");
        // the same text in another region is another number
        assertThat(PhoneNumbers.normalise("030 1234567", "GB").e164()).isNotEqualTo("+49301234567");
    }

    @Test
    void internationalFormsNeedNoRegion() {
        assertThat(PhoneNumbers.normalise("+44 20 7946 0123", "US").e164()).isEqualTo("+442079460123");
        assertThat(PhoneNumbers.normalise("0049 30 1234567", "DE").e164()).isEqualTo("+49301234567");
        assertThat(PhoneNumbers.normalise("011 44 20 7946 0123", "US").e164()).isEqualTo("+442079460123");
        assertThat(PhoneNumbers.normalise("+1-425-555-0100;ext=12", "GB").e164()).isEqualTo("+14255550100");
        assertThat(PhoneNumbers.normalise("tel:+14255550100", null).e164()).isEqualTo("+14255550100");
    }

    @Test
    void whatIsNoNumberKeepsItsDigitsAndItsText() {
        PhoneNumbers.Normalised n = PhoneNumbers.normalise("ext. 12", "GB");
        assertThat(n.parsed()).isFalse();
        assertThat(n.digits()).isEqualTo("12");
        assertThat(n.original()).isEqualTo("ext. 12");

        PhoneNumbers.Normalised note = PhoneNumbers.normalise("call the front desk and ask for Ann, she is on 44 20 7946 0123 most days", "GB");
        assertThat(note.parsed()).isFalse();
        assertThat(note.digits()).isEqualTo("442079460123");

        assertThat(PhoneNumbers.normalise(null, "GB").digits()).isEmpty();
        assertThat(PhoneNumbers.normalise("   ", "GB").parsed()).isFalse();
    }

    @Test
    void regionsAreCheckedAndUpperCased() {
        assertThat(PhoneNumbers.region(" gb ")).contains("GB");
        assertThat(PhoneNumbers.region("UK")).isEmpty(); // ISO 3166: GB
        assertThat(PhoneNumbers.region("")).isEmpty();
        assertThat(PhoneNumbers.regions()).contains("DE", "US", "FR");
    }

    @Test
    void otherDigitsAreReadAsAscii() {
        assertThat(PhoneNumbers.digits("\u0660\u0661\u0662-3")).isEqualTo("0123");
    }
}
