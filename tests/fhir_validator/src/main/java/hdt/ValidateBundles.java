package hdt;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;

/**
 * Validates FHIR R4 JSON files with HAPI FHIR's instance validator, offline: the R4 core
 * definitions and terminologies packaged with HAPI, no terminology server. Prints one line per
 * message, "FILE<TAB>SEVERITY<TAB>LOCATION<TAB>MESSAGE", and exits 0 whatever it finds (the
 * caller counts the errors).
 */
public final class ValidateBundles {
  private ValidateBundles() {}

  public static void main(String[] args) throws Exception {
    FhirContext context = FhirContext.forR4();
    ValidationSupportChain chain = new ValidationSupportChain(
        new DefaultProfileValidationSupport(context),
        new SnapshotGeneratingValidationSupport(context),
        new InMemoryTerminologyServerValidationSupport(context),
        new CommonCodeSystemsTerminologyService(context));
    FhirInstanceValidator instance = new FhirInstanceValidator(chain);
    instance.setAnyExtensionsAllowed(true);
    // Validated against FHIR R4 itself: a profile the resource claims (US Core, from Synthea)
    // is not in the offline core definitions, so it is reported as a warning, not an error.
    instance.setErrorForUnknownProfiles(false);
    FhirValidator validator = context.newValidator().registerValidatorModule(instance);
    for (String arg : args) {
      String text = Files.readString(Path.of(arg), StandardCharsets.UTF_8);
      ValidationResult result = validator.validateWithResult(text);
      for (SingleValidationMessage message : result.getMessages()) {
        ResultSeverityEnum severity = message.getSeverity();
        System.out.println(arg + "\t" + severity.getCode() + "\t" + message.getLocationString()
            + "\t" + message.getMessage().replace('\n', ' ').replace('\t', ' '));
      }
    }
  }
}
